/* The compiled core of near-duplicate sketching: fast shingle keys and affine32 MinHash.
 *
 * Each function computes exactly the bits of its numpy twin (shingle._fast_keys_numpy,
 * minhash._signatures_numpy); the numpy code stays the definition and the fallback.
 * Only the CPython C API is used: texts come in as str objects, arrays through the
 * buffer protocol, and results go out as bytearrays (or into a buffer passed in) that
 * the Python side views with np.frombuffer. The loops run without the GIL.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* On x86-64 glibc the MinHash loop is built for AVX-512, AVX2 and the baseline, the
 * loader picking one at run time (16, 8 or 4 permutations per instruction); elsewhere
 * it is built once, for the target's baseline. */
#if defined(__x86_64__) && defined(__GLIBC__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define SK_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef SK_CLONES
#define SK_CLONES
#endif

#if defined(_MSC_VER)
#define SK_RESTRICT __restrict
#else
#define SK_RESTRICT restrict
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SK_BIG_ENDIAN 1
#else
#define SK_BIG_ENDIAN 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SK_CTZ64(x) ((unsigned)__builtin_ctzll(x))
#else
static unsigned
SK_CTZ64(uint64_t x)
{
    unsigned n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
}
#endif

/* ---------------------------------------------------------------- fast shingle keys */

#define SK_LENGTH UINT64_C(0x9E3779B97F4A7C15) /* word hash seed per byte of length */
#define SK_STEP UINT64_C(0xD6E8FEB86659FD93)   /* base of the key polynomial */
#define SK_MIX1 UINT64_C(0xFF51AFD7ED558CCD)
#define SK_MIX2 UINT64_C(0xC4CEB9FE1A85EC53)

/* The ASCII bytes str.split breaks words at: 9-13, 28-31 and the space. */
static unsigned char sk_space[256];

static void
sk_init_spaces(void)
{
    static const unsigned char codes[] = {9, 10, 11, 12, 13, 28, 29, 30, 31, 32};
    size_t i;
    memset(sk_space, 0, sizeof sk_space);
    for (i = 0; i < sizeof codes; i++) {
        sk_space[codes[i]] = 1;
    }
}

static inline uint64_t
sk_fmix64(uint64_t x)
{
    x ^= x >> 33;
    x *= SK_MIX1;
    x ^= x >> 33;
    x *= SK_MIX2;
    x ^= x >> 33;
    return x;
}

/* The 8 bytes from p as a little-endian integer, the bytes at or past `end` read as 0. */
static inline uint64_t
sk_load8(const unsigned char *p, const unsigned char *end)
{
    uint64_t v = 0;
    if (end - p >= 8) {
        memcpy(&v, p, 8);
#if SK_BIG_ENDIAN
        v = __builtin_bswap64(v);
#endif
    }
    else {
        ptrdiff_t i;
        for (i = 0; i < end - p; i++) {
            v |= (uint64_t)p[i] << (8 * i);
        }
    }
    return v;
}

/* Bytes [p, p + n) as a little-endian integer, 1 <= n <= 8, zero above them. */
static inline uint64_t
sk_chunk(const unsigned char *p, size_t n, const unsigned char *end)
{
    uint64_t v = sk_load8(p, end);
    return n < 8 ? v & ((UINT64_C(1) << (8 * n)) - 1) : v;
}

#define SK_ONES UINT64_C(0x0101010101010101)
#define SK_HIGHS UINT64_C(0x8080808080808080)

/* Where the word starting at p ends: the first space byte, or `end`. Eight bytes at a
 * time: a byte below 0x21 is flagged by the carry trick (the lowest flag is exact), and
 * only a flagged byte can be a space; one that is not (a control byte) is stepped over.
 * Most words end within their first 8 bytes, with no branch on their length. */
static inline const unsigned char *
sk_word_end(const unsigned char *p, const unsigned char *end)
{
    for (;;) {
        const uint64_t x = sk_load8(p, end);
        const uint64_t low = (x - SK_ONES * 0x21) & ~x & SK_HIGHS;
        if (low) {
            const unsigned char *c = p + (SK_CTZ64(low) >> 3);
            if (c >= end) {
                return end;
            }
            if (sk_space[*c]) {
                return c;
            }
            p = c + 1;
        }
        else {
            p += 8;
        }
        if (p >= end) {
            return end;
        }
    }
}

/* base**exponent modulo 2**64, by squaring. */
static uint64_t
sk_pow64(uint64_t base, size_t exponent)
{
    uint64_t result = 1;
    while (exponent) {
        if (exponent & 1) {
            result *= base;
        }
        base *= base;
        exponent >>= 1;
    }
    return result;
}

static inline uint64_t
sk_word_hash(const unsigned char *p, size_t n, const unsigned char *end)
{
    uint64_t h = (uint64_t)n * SK_LENGTH;
    for (;;) {
        size_t take = n < 8 ? n : 8;
        h = sk_fmix64(h ^ sk_chunk(p, take, end));
        if (n <= 8) {
            return h;
        }
        p += 8;
        n -= 8;
    }
}

/* The keys of one text's shingles, written to `out`; returns how many. `ring` holds
 * the last `ring_len` word hashes (ring_len = size, or more words than the text can
 * have). The window polynomial rolls: with Q the sum of h[i+j] * S**(size-1-j), a
 * window's key is Q + size * S**size, and moving on one word is
 * Q = (Q - h[i] * S**(size-1)) * S + h[i+size]; all modulo 2**64, so exact. */
static size_t
sk_text_keys(const unsigned char *s, size_t n, size_t size, uint64_t *ring, size_t ring_len,
             uint64_t top, uint64_t lead, uint64_t *out)
{
    const unsigned char *end = s + n;
    const unsigned char *p = s;
    size_t words = 0, emitted = 0, slot = 0; /* slot: words modulo ring_len */
    uint64_t q = 0;

    for (;;) {
        const unsigned char *start;
        uint64_t h;
        while (p < end && sk_space[*p]) {
            p++;
        }
        if (p == end) {
            break;
        }
        start = p;
        p = sk_word_end(p, end);
        h = sk_word_hash(start, (size_t)(p - start), end);
        if (words < size) {
            q = q * SK_STEP + h;
        }
        else {
            q = (q - ring[slot] * lead) * SK_STEP + h;
        }
        ring[slot] = h;
        slot = slot + 1 == ring_len ? 0 : slot + 1;
        words++;
        if (words >= size) {
            out[emitted++] = q + top;
        }
    }
    if (words > 0 && words < size) {
        /* Fewer words than a shingle: one key of them all, m * S**m + sum. */
        uint64_t acc = (uint64_t)words;
        size_t i;
        for (i = 0; i < words; i++) {
            acc = acc * SK_STEP + ring[i];
        }
        out[emitted++] = acc;
    }
    return emitted;
}

typedef struct {
    const unsigned char *data;
    size_t len;
} sk_text;

/* Keys buffer grown with the raw allocator, which needs no GIL. */
static int
sk_reserve(uint64_t **buf, size_t *cap, size_t need)
{
    size_t fresh;
    uint64_t *grown;
    if (need <= *cap) {
        return 0;
    }
    fresh = *cap * 2 > need ? *cap * 2 : need;
    if (fresh > PY_SSIZE_T_MAX / sizeof(uint64_t)) {
        return -1;
    }
    grown = PyMem_RawRealloc(*buf, fresh * sizeof(uint64_t));
    if (grown == NULL) {
        return -1;
    }
    *buf = grown;
    *cap = fresh;
    return 0;
}

PyDoc_STRVAR(fast_keys_doc,
"fast_keys(texts, size) -> (keys, offsets)\n\n"
"The fast shingle keys of a sequence of str, as shingle._fast_keys_numpy computes them:\n"
"keys (native uint64) and offsets (native int64, len(texts) + 1), as bytearrays.");

static PyObject *
sk_fast_keys(PyObject *module, PyObject *args)
{
    PyObject *texts_arg, *texts = NULL, *holders = NULL, *keys_out = NULL, *offsets_out = NULL;
    PyObject *result = NULL;
    Py_ssize_t size_arg, count, i;
    sk_text *parts = NULL;
    uint64_t *keys = NULL, *ring = NULL;
    size_t cap = 0, used = 0, total = 0, most = 0, ring_len, size;
    int64_t *offsets;
    uint64_t top, lead;
    int failed = 0;

    (void)module;
    if (!PyArg_ParseTuple(args, "On:fast_keys", &texts_arg, &size_arg)) {
        return NULL;
    }
    if (size_arg < 1) {
        PyErr_Format(PyExc_ValueError, "shingle size must be at least 1, not %zd", size_arg);
        return NULL;
    }
    size = (size_t)size_arg;
    /* A tuple: its items stay alive while the GIL is released, whatever the caller does. */
    texts = PySequence_Tuple(texts_arg);
    if (texts == NULL) {
        return NULL;
    }
    count = PyTuple_GET_SIZE(texts);
    holders = PyTuple_New(count);
    parts = PyMem_New(sk_text, count > 0 ? (size_t)count : 1);
    if (holders == NULL || parts == NULL) {
        if (parts == NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    for (i = 0; i < count; i++) {
        PyObject *text = PyTuple_GET_ITEM(texts, i), *holder;
        const char *data;
        Py_ssize_t len;
        if (!PyUnicode_Check(text)) {
            PyErr_Format(PyExc_TypeError, "texts must be str, not %.100s (item %zd)",
                         Py_TYPE(text)->tp_name, i);
            goto done;
        }
#if PY_VERSION_HEX < 0x030C0000
        if (PyUnicode_READY(text) < 0) {
            goto done;
        }
#endif
        if (PyUnicode_IS_ASCII(text)) {
            /* An ASCII str is its own UTF-8: read in place, nothing cached or copied. */
            data = PyUnicode_AsUTF8AndSize(text, &len);
            holder = text;
            Py_INCREF(holder);
        }
        else {
            /* A temporary encoding, rather than a UTF-8 copy cached on the caller's str. */
            holder = PyUnicode_AsUTF8String(text);
            data = holder == NULL ? NULL : PyBytes_AS_STRING(holder);
            len = holder == NULL ? 0 : PyBytes_GET_SIZE(holder);
        }
        if (holder == NULL || data == NULL) {
            Py_XDECREF(holder);
            goto done;
        }
        PyTuple_SET_ITEM(holders, i, holder);
        parts[i].data = (const unsigned char *)data;
        parts[i].len = (size_t)len;
        total += (size_t)len;
        if ((size_t)len > most) {
            most = (size_t)len;
        }
    }
    /* A text of n bytes has at most (n + 1) / 2 words, so a ring of that many suffices
     * when shingles are longer than any text. */
    ring_len = (most + 1) / 2 + 1;
    if (size < ring_len) {
        ring_len = size;
    }
    ring = PyMem_RawMalloc(ring_len * sizeof(uint64_t));
    offsets_out = PyByteArray_FromStringAndSize(NULL, (count + 1) * (Py_ssize_t)sizeof(int64_t));
    if (ring == NULL || offsets_out == NULL) {
        if (ring == NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    offsets = (int64_t *)PyByteArray_AS_STRING(offsets_out);
    /* S**(size-1) and size * S**size, modulo 2**64. */
    lead = sk_pow64(SK_STEP, size - 1);
    top = (uint64_t)size * lead * SK_STEP;

    Py_BEGIN_ALLOW_THREADS
    /* Most text has a word per 5-7 bytes: start there and grow when a text may not fit. */
    if (sk_reserve(&keys, &cap, total / 4 + 16) < 0) {
        failed = 1;
    }
    offsets[0] = 0;
    for (i = 0; i < count && !failed; i++) {
        if (sk_reserve(&keys, &cap, used + (parts[i].len + 1) / 2) < 0) {
            failed = 1;
            break;
        }
        used += sk_text_keys(parts[i].data, parts[i].len, size, ring, ring_len, top, lead, keys + used);
        offsets[i + 1] = (int64_t)used;
    }
    Py_END_ALLOW_THREADS

    if (failed) {
        PyErr_NoMemory();
        goto done;
    }
    keys_out = PyByteArray_FromStringAndSize((const char *)keys, (Py_ssize_t)(used * sizeof(uint64_t)));
    if (keys_out == NULL) {
        goto done;
    }
    result = PyTuple_Pack(2, keys_out, offsets_out);

done:
    PyMem_RawFree(keys);
    PyMem_RawFree(ring);
    PyMem_Free(parts);
    Py_XDECREF(keys_out);
    Py_XDECREF(offsets_out);
    Py_XDECREF(holders);
    Py_XDECREF(texts);
    return result;
}

/* ---------------------------------------------------------------- affine32 MinHash */

static inline uint32_t
sk_fmix32(uint32_t x)
{
    x ^= x >> 16;
    x *= UINT32_C(0x85EBCA6B);
    x ^= x >> 13;
    x *= UINT32_C(0xC2B2AE35);
    x ^= x >> 16;
    return x;
}

/* Keys are read as native unsigned integers of 4 or 8 bytes; only the low 32 bits count. */
static inline uint32_t
sk_key32(const void *keys, size_t width, size_t k)
{
    if (width == 8) {
        return (uint32_t)((const uint64_t *)keys)[k];
    }
    return ((const uint32_t *)keys)[k];
}

/* One row of minima per set. Per key the mixed hash is computed once, then the inner
 * loops over permutations are plain uint32 multiply-add-min over contiguous rows: what
 * the compiler vectorizes. Eight keys share a pass over the row (measured best: fewer
 * loads and stores of the row, a, b per key; more runs out of registers). */
SK_CLONES static void
sk_affine32_rows(const void *keys, size_t width, size_t nkeys, const int64_t *offsets, size_t sets,
                 const uint32_t *SK_RESTRICT a, const uint32_t *SK_RESTRICT b, size_t perms,
                 uint32_t *SK_RESTRICT out)
{
    size_t s, p;
    for (s = 0; s < sets; s++) {
        uint32_t *SK_RESTRICT row = out + s * perms;
        /* Checked before the GIL was released; clamped again in case another thread
         * has changed them since, so that no key is read out of bounds. */
        const int64_t first = offsets[s], last = offsets[s + 1];
        size_t k = first < 0 ? 0 : (size_t)first > nkeys ? nkeys : (size_t)first;
        size_t hi = last < 0 ? 0 : (size_t)last > nkeys ? nkeys : (size_t)last;
        for (p = 0; p < perms; p++) {
            row[p] = UINT32_MAX;
        }
        for (; k + 8 <= hi; k += 8) {
            uint32_t h[8];
            size_t j;
            for (j = 0; j < 8; j++) {
                h[j] = sk_fmix32(sk_key32(keys, width, k + j));
            }
            for (p = 0; p < perms; p++) {
                uint32_t m = row[p];
                for (j = 0; j < 8; j++) {
                    const uint32_t v = a[p] * h[j] + b[p];
                    m = v < m ? v : m;
                }
                row[p] = m;
            }
        }
        for (; k < hi; k++) {
            const uint32_t h = sk_fmix32(sk_key32(keys, width, k));
            for (p = 0; p < perms; p++) {
                const uint32_t v = a[p] * h + b[p];
                row[p] = v < row[p] ? v : row[p];
            }
        }
    }
}

/* A C-contiguous buffer of native integers (signed or unsigned) of `itemsize` bytes, or
 * of 4 or 8 bytes when `itemsize` is 0. On failure view->obj is NULL and an error is set. */
static int
sk_int_buffer(PyObject *obj, const char *name, Py_ssize_t itemsize, int writable, Py_buffer *view)
{
    const char *format;
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    view->obj = NULL;
    if (PyObject_GetBuffer(obj, view, flags) < 0) {
        view->obj = NULL;
        return -1;
    }
    format = view->format == NULL ? "B" : view->format;
    /* Native byte order only: no prefix, '@' or '=', or the native one of '<' / '>'. */
    if (format[0] == '@' || format[0] == '=' || format[0] == (SK_BIG_ENDIAN ? '>' : '<')
        || (SK_BIG_ENDIAN && format[0] == '!')) {
        format++;
    }
    if ((itemsize ? view->itemsize != itemsize : view->itemsize != 4 && view->itemsize != 8)
        || format[0] == '\0' || format[1] != '\0' || strchr("bBhHiIlLqQnN", format[0]) == NULL) {
        PyErr_Format(PyExc_ValueError, "%s must be a contiguous buffer of %s-byte native integers "
                     "(got format '%s', item size %zd)", name,
                     itemsize == 8 ? "8" : itemsize == 4 ? "4" : "4- or 8",
                     view->format == NULL ? "B" : view->format, view->itemsize);
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

PyDoc_STRVAR(affine32_doc,
"affine32(keys, offsets, a, b, out)\n\n"
"affine32 MinHash signatures into `out`, as minhash._signatures_numpy computes them.\n"
"keys: 4- or 8-byte integers (low 32 bits hashed); offsets: int64, monotone, within keys;\n"
"a, b: uint32 of one length; out: writable uint32, (len(offsets) - 1) * len(a) items.");

static PyObject *
sk_affine32(PyObject *module, PyObject *args)
{
    PyObject *keys_obj, *offsets_obj, *a_obj, *b_obj, *out_obj;
    Py_buffer keys = {0}, offsets = {0}, a = {0}, b = {0}, out = {0};
    PyObject *result = NULL;
    Py_ssize_t nkeys, sets, perms, s;
    const int64_t *offs;

    (void)module;
    if (!PyArg_ParseTuple(args, "OOOOO:affine32", &keys_obj, &offsets_obj, &a_obj, &b_obj, &out_obj)) {
        return NULL;
    }
    if (sk_int_buffer(keys_obj, "keys", 0, 0, &keys) < 0 || sk_int_buffer(offsets_obj, "offsets", 8, 0, &offsets) < 0
        || sk_int_buffer(a_obj, "a", 4, 0, &a) < 0 || sk_int_buffer(b_obj, "b", 4, 0, &b) < 0
        || sk_int_buffer(out_obj, "out", 4, 1, &out) < 0) {
        goto done;
    }
    nkeys = keys.len / keys.itemsize;
    sets = offsets.len / 8 - 1;
    perms = a.len / 4;
    if (sets < 0) {
        PyErr_SetString(PyExc_ValueError, "offsets must hold at least one value");
        goto done;
    }
    if (b.len / 4 != perms) {
        PyErr_Format(PyExc_ValueError, "a and b differ in length (%zd and %zd)", perms, b.len / 4);
        goto done;
    }
    if (out.len / 4 != sets * perms) {
        PyErr_Format(PyExc_ValueError, "out holds %zd values, not %zd sets x %zd permutations",
                     out.len / 4, sets, perms);
        goto done;
    }
    offs = (const int64_t *)offsets.buf;
    for (s = 0; s <= sets; s++) {
        if (offs[s] < 0 || offs[s] > nkeys || (s > 0 && offs[s] < offs[s - 1])) {
            PyErr_Format(PyExc_ValueError, "offsets must rise from 0 to at most %zd keys "
                         "(offsets[%zd] is %lld)", nkeys, s, (long long)offs[s]);
            goto done;
        }
    }
    Py_BEGIN_ALLOW_THREADS
    sk_affine32_rows(keys.buf, (size_t)keys.itemsize, (size_t)nkeys, offs, (size_t)sets, (const uint32_t *)a.buf,
                     (const uint32_t *)b.buf, (size_t)perms, (uint32_t *)out.buf);
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);

done:
    if (keys.obj != NULL) {
        PyBuffer_Release(&keys);
    }
    if (offsets.obj != NULL) {
        PyBuffer_Release(&offsets);
    }
    if (a.obj != NULL) {
        PyBuffer_Release(&a);
    }
    if (b.obj != NULL) {
        PyBuffer_Release(&b);
    }
    if (out.obj != NULL) {
        PyBuffer_Release(&out);
    }
    return result;
}

/* ---------------------------------------------------------------- module */

static PyMethodDef sk_methods[] = {
    {"fast_keys", sk_fast_keys, METH_VARARGS, fast_keys_doc},
    {"affine32", sk_affine32, METH_VARARGS, affine32_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef sk_module = {
    PyModuleDef_HEAD_INIT,
    "crosscheck.dedup._sketchcore",
    "Compiled core of crosscheck.dedup: fast shingle keys and affine32 MinHash, "
    "bit-identical to the numpy code they replace.",
    -1,
    sk_methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC
PyInit__sketchcore(void)
{
    sk_init_spaces();
    return PyModule_Create(&sk_module);
}
