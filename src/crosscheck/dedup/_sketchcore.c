/* The compiled core of near-duplicate sketching: fast shingle keys, affine32 MinHash,
 * and the LSH band keys and anchors drawn from them.
 *
 * Each function computes exactly the bits of its numpy twin (shingle._fast_keys_numpy,
 * minhash._signatures_numpy, lsh._band_keys_numpy, lsh._anchors_numpy); the numpy code
 * stays the definition and the fallback.
 * Fast keys can also fold their texts as they read them (fold_table), the bytes that
 * Python's fold_lower and str.encode would give, which the tests check code point by
 * code point.
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

/* ---------------------------------------------------------------- case folding */

/* The folding that Python's fold_lower does after NFKC, done while the code points are
 * read: marks replaced (quotes, dashes, invisible characters, from normalize's own table,
 * handed over by fold_table), wide spaces turned into word breaks, everything else
 * through the interpreter's simple lowercase mapping, written out as UTF-8. It needs
 * Py_UNICODE_TOLOWER (CPython 3.10-3.13 all have it); a Python without it gets a module
 * without fold_table, and Python folds as before. */
#if defined(Py_UNICODE_TOLOWER) && !defined(SK_NO_FOLD)
#define SK_CAN_FOLD 1
#else
#define SK_CAN_FOLD 0
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SK_INLINE static inline __attribute__((always_inline))
#elif defined(_MSC_VER)
#define SK_INLINE static __forceinline
#else
#define SK_INLINE static inline
#endif

/* The UnicodeEncodeError that str.encode("utf-8") raises for the surrogate at `at`. */
static void
sk_surrogate_error(PyObject *text, Py_ssize_t at)
{
    PyObject *error = PyObject_CallFunction(PyExc_UnicodeEncodeError, "sOnns", "utf-8", text, at, at + 1,
                                            "surrogates not allowed");
    if (error != NULL) {
        PyErr_SetObject(PyExc_UnicodeEncodeError, error);
        Py_DECREF(error);
    }
}

#if SK_CAN_FOLD

#define SK_FOLD_LOW 0x3000    /* code points below this have a table entry each */
#define SK_FOLD_LONG 0xFFu    /* an entry's length byte: the fold is longer than 3 bytes */
#define SK_FOLDS_NAME "crosscheck.dedup._sketchcore.folds"

typedef struct {
    Py_UCS4 ch;
    uint32_t packed;
} sk_mark;

/* A folding table. An entry holds the UTF-8 bytes a code point folds to (at most 3, the
 * first in the low byte) and their count in the top byte. */
typedef struct {
    uint32_t low[SK_FOLD_LOW];
    size_t nhigh;
    sk_mark high[]; /* the marks and wide spaces from SK_FOLD_LOW up, by code point */
} sk_folds;

/* The entry of code point c: its UTF-8 bytes, or SK_FOLD_LONG when they are 4. */
static uint32_t
sk_pack(Py_UCS4 c)
{
    if (c < 0x80) {
        return c | UINT32_C(1) << 24;
    }
    if (c < 0x800) {
        return (0xC0 | c >> 6) | (0x80 | (c & 0x3F)) << 8 | UINT32_C(2) << 24;
    }
    if (c < 0x10000) {
        return (0xE0 | c >> 12) | (0x80 | (c >> 6 & 0x3F)) << 8 | (0x80 | (c & 0x3F)) << 16
               | UINT32_C(3) << 24;
    }
    return (uint32_t)SK_FOLD_LONG << 24;
}

/* Writes an entry's bytes at out (4 bytes of room: the store is one word) and returns
 * their count. */
SK_INLINE size_t
sk_put_packed(unsigned char *out, uint32_t entry)
{
#if SK_BIG_ENDIAN
    out[0] = (unsigned char)entry;
    out[1] = (unsigned char)(entry >> 8);
    out[2] = (unsigned char)(entry >> 16);
#else
    memcpy(out, &entry, 4);
#endif
    return entry >> 24;
}

static size_t
sk_put_utf8(unsigned char *out, Py_UCS4 c)
{
    if (c < 0x80) {
        out[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (unsigned char)(0xC0 | c >> 6);
        out[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (unsigned char)(0xE0 | c >> 12);
        out[1] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | c >> 18);
    out[1] = (unsigned char)(0x80 | (c >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (c >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

/* An ASCII code point lower-cased: A-Z gain 0x20, nothing else changes. */
SK_INLINE unsigned char
sk_ascii_lower(Py_UCS4 c)
{
    return (unsigned char)(c + ((c - 'A' < 26u) << 5));
}

/* One non-ASCII code point folded into out (4 bytes of room); returns the bytes
 * written, or -1 for a surrogate, which UTF-8 cannot hold (as str.encode refuses it). */
static Py_ssize_t
sk_fold_rare(const sk_folds *folds, Py_UCS4 c, unsigned char *out)
{
    if (c < SK_FOLD_LOW) {
        const uint32_t entry = folds->low[c];
        if (entry >> 24 != SK_FOLD_LONG) {
            return (Py_ssize_t)sk_put_packed(out, entry);
        }
    }
    else if (folds->nhigh && c >= folds->high[0].ch && c <= folds->high[folds->nhigh - 1].ch) {
        size_t lo = 0, hi = folds->nhigh;
        while (lo < hi) {
            const size_t mid = (lo + hi) / 2;
            if (folds->high[mid].ch < c) {
                lo = mid + 1;
            }
            else {
                hi = mid;
            }
        }
        if (folds->high[lo].ch == c) {
            return (Py_ssize_t)sk_put_packed(out, folds->high[lo].packed);
        }
    }
    if (c >= 0xD800 && c <= 0xDFFF) {
        return -1;
    }
    return (Py_ssize_t)sk_put_utf8(out, Py_UNICODE_TOLOWER(c));
}

/* The folded UTF-8 of n code points of one kind (1, 2 or 4 bytes each), written to out,
 * which has room for 4 * n + 4 bytes (no code point gives more than 4). Returns the
 * bytes written, or -1 - i for a surrogate at i. Sixteen ASCII code points in a row
 * (most of a Latin text) go through a loop the compiler vectorizes; a block with any
 * other code point goes one by one. */
SK_INLINE Py_ssize_t
sk_fold_kind(const sk_folds *folds, const int kind, const void *data, Py_ssize_t n, unsigned char *out)
{
    Py_ssize_t i = 0, o = 0;
    while (i < n) {
        Py_ssize_t stop = n - i < 16 ? n : i + 16;
        if (stop - i == 16) {
            Py_UCS4 any = 0;
            int j;
            for (j = 0; j < 16; j++) {
                any |= PyUnicode_READ(kind, data, i + j);
            }
            if (any < 0x80) {
                for (j = 0; j < 16; j++) {
                    out[o + j] = sk_ascii_lower(PyUnicode_READ(kind, data, i + j));
                }
                i += 16;
                o += 16;
                continue;
            }
        }
        for (; i < stop; i++) {
            const Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (c < 0x80) {
                out[o++] = sk_ascii_lower(c);
            }
            else {
                const Py_ssize_t wrote = sk_fold_rare(folds, c, out + o);
                if (wrote < 0) {
                    return -1 - i;
                }
                o += wrote;
            }
        }
    }
    return o;
}

static Py_ssize_t
sk_fold(const sk_folds *folds, int kind, const void *data, Py_ssize_t n, unsigned char *out)
{
    switch (kind) {
    case PyUnicode_1BYTE_KIND:
        return sk_fold_kind(folds, PyUnicode_1BYTE_KIND, data, n, out);
    case PyUnicode_2BYTE_KIND:
        return sk_fold_kind(folds, PyUnicode_2BYTE_KIND, data, n, out);
    default:
        return sk_fold_kind(folds, PyUnicode_4BYTE_KIND, data, n, out);
    }
}

/* The one code point of a str of length 1 at or above 0x80 and not a surrogate, or
 * (Py_UCS4)-1 with ValueError set. */
static Py_UCS4
sk_fold_key(PyObject *obj, const char *what)
{
    Py_UCS4 c;
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_Check(obj) && PyUnicode_READY(obj) < 0) {
        return (Py_UCS4)-1;
    }
#endif
    if (!PyUnicode_Check(obj) || PyUnicode_GET_LENGTH(obj) != 1) {
        PyErr_Format(PyExc_ValueError, "%s must be single characters, not %R", what, obj);
        return (Py_UCS4)-1;
    }
    c = PyUnicode_READ_CHAR(obj, 0);
    if (c < 0x80 || (c >= 0xD800 && c <= 0xDFFF)) {
        PyErr_Format(PyExc_ValueError, "%s must be neither ASCII nor surrogates, not %R", what, obj);
        return (Py_UCS4)-1;
    }
    return c;
}

static int
sk_mark_order(const void *x, const void *y)
{
    const Py_UCS4 a = ((const sk_mark *)x)->ch, b = ((const sk_mark *)y)->ch;
    return a < b ? -1 : a > b;
}

static void
sk_folds_free(PyObject *capsule)
{
    PyMem_Free(PyCapsule_GetPointer(capsule, SK_FOLDS_NAME));
}

PyDoc_STRVAR(fold_table_doc,
"fold_table(replacements, spaces) -> table\n\n"
"A folding table for fast_keys and folded_utf8: `replacements` maps single non-ASCII\n"
"characters to ASCII strings of at most 3 characters (lower-cased when folded);\n"
"`spaces` holds non-ASCII characters that break words. Any other character is folded\n"
"by Py_UNICODE_TOLOWER. A replacement wins over a space.");

static PyObject *
sk_fold_table(PyObject *module, PyObject *args)
{
    PyObject *replacements, *spaces, *key, *value, *capsule;
    Py_ssize_t pos = 0, i, nspaces, most;
    sk_folds *folds;
    size_t nhigh = 0, kept, k;
    Py_UCS4 c;

    (void)module;
    if (!PyArg_ParseTuple(args, "O!U:fold_table", &PyDict_Type, &replacements, &spaces)) {
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(spaces) < 0) {
        return NULL;
    }
#endif
    nspaces = PyUnicode_GET_LENGTH(spaces);
    most = PyDict_GET_SIZE(replacements) + nspaces;
    folds = PyMem_Malloc(sizeof(sk_folds) + (size_t)(most > 0 ? most : 1) * sizeof(sk_mark));
    if (folds == NULL) {
        return PyErr_NoMemory();
    }
    for (c = 0; c < SK_FOLD_LOW; c++) {
        folds->low[c] = c < 0x80 ? sk_pack(sk_ascii_lower(c)) : sk_pack(Py_UNICODE_TOLOWER(c));
    }
    /* Spaces first, then the marks over them: Python replaces before it splits. */
    for (i = 0; i < nspaces; i++) {
        c = PyUnicode_READ_CHAR(spaces, i);
        if (c < 0x80 || (c >= 0xD800 && c <= 0xDFFF)) {
            /* %x, not %X: PyErr_Format takes upper-case hex only from Python 3.12. */
            PyErr_Format(PyExc_ValueError, "spaces must be neither ASCII nor surrogates (U+%04x)", (unsigned)c);
            goto fail;
        }
        if (c < SK_FOLD_LOW) {
            folds->low[c] = sk_pack(' ');
        }
        else {
            folds->high[nhigh].ch = c;
            folds->high[nhigh++].packed = sk_pack(' ');
        }
    }
    while (PyDict_Next(replacements, &pos, &key, &value)) {
        uint32_t packed = 0;
        Py_ssize_t n;
        c = sk_fold_key(key, "replaced marks");
        if (c == (Py_UCS4)-1) {
            goto fail;
        }
        if (!PyUnicode_Check(value) || !PyUnicode_IS_ASCII(value) || (n = PyUnicode_GET_LENGTH(value)) > 3) {
            PyErr_Format(PyExc_ValueError, "replacements must be ASCII str of at most 3 characters, not %R "
                         "(for %R)", value, key);
            goto fail;
        }
        for (i = n - 1; i >= 0; i--) {
            packed = packed << 8 | sk_ascii_lower(PyUnicode_READ_CHAR(value, i));
        }
        packed |= (uint32_t)n << 24;
        if (c < SK_FOLD_LOW) {
            folds->low[c] = packed;
        }
        else {
            folds->high[nhigh].ch = c;
            folds->high[nhigh++].packed = packed;
        }
    }
    /* Sorted by code point; where a mark is also a space, the mark stays. */
    qsort(folds->high, nhigh, sizeof(sk_mark), sk_mark_order);
    kept = 0;
    for (k = 0; k < nhigh; k++) {
        if (kept && folds->high[kept - 1].ch == folds->high[k].ch) {
            if (folds->high[k].packed != sk_pack(' ')) {
                folds->high[kept - 1] = folds->high[k];
            }
            continue;
        }
        folds->high[kept++] = folds->high[k];
    }
    folds->nhigh = kept;
    capsule = PyCapsule_New(folds, SK_FOLDS_NAME, sk_folds_free);
    if (capsule == NULL) {
        goto fail;
    }
    return capsule;

fail:
    PyMem_Free(folds);
    return NULL;
}

/* The table inside a fold_table capsule, or NULL with TypeError set. */
static const sk_folds *
sk_folds_of(PyObject *obj)
{
    if (!PyCapsule_IsValid(obj, SK_FOLDS_NAME)) {
        PyErr_Format(PyExc_TypeError, "folds must be a table from fold_table(), not %.100s",
                     Py_TYPE(obj)->tp_name);
        return NULL;
    }
    return PyCapsule_GetPointer(obj, SK_FOLDS_NAME);
}

PyDoc_STRVAR(folded_utf8_doc,
"folded_utf8(text, folds) -> bytes\n\n"
"What fast_keys(texts, size, folds) hashes of `text`: its UTF-8, folded by the table.");

static PyObject *
sk_folded_utf8(PyObject *module, PyObject *args)
{
    PyObject *text, *folds_obj, *result = NULL;
    const sk_folds *folds;
    unsigned char *out;
    Py_ssize_t n, wrote;

    (void)module;
    if (!PyArg_ParseTuple(args, "UO:folded_utf8", &text, &folds_obj)) {
        return NULL;
    }
    if ((folds = sk_folds_of(folds_obj)) == NULL) {
        return NULL;
    }
#if PY_VERSION_HEX < 0x030C0000
    if (PyUnicode_READY(text) < 0) {
        return NULL;
    }
#endif
    n = PyUnicode_GET_LENGTH(text);
    if (n > (PY_SSIZE_T_MAX - 4) / 4) {
        return PyErr_NoMemory();
    }
    out = PyMem_Malloc((size_t)(4 * n + 4));
    if (out == NULL) {
        return PyErr_NoMemory();
    }
    wrote = sk_fold(folds, PyUnicode_KIND(text), PyUnicode_DATA(text), n, out);
    if (wrote < 0) {
        sk_surrogate_error(text, -1 - wrote);
    }
    else {
        result = PyBytes_FromStringAndSize((const char *)out, wrote);
    }
    PyMem_Free(out);
    return result;
}

#endif /* SK_CAN_FOLD */

/* ---------------------------------------------------------------- fast_keys */

/* One text to hash: UTF-8 bytes (kind 0), or code points of a str kind to fold first. */
typedef struct {
    const void *data;
    size_t len; /* bytes, or code points */
    int kind;
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
"fast_keys(texts, size, folds=None) -> (keys, offsets)\n\n"
"The fast shingle keys of a sequence of str, as shingle._fast_keys_numpy computes them:\n"
"keys (native uint64) and offsets (native int64, len(texts) + 1), as bytearrays.\n"
"With `folds` (from fold_table), each text is folded by it first (see folded_utf8).");

static PyObject *
sk_fast_keys(PyObject *module, PyObject *args)
{
    PyObject *texts_arg, *folds_arg = Py_None, *texts = NULL, *holders = NULL, *keys_out = NULL;
    PyObject *offsets_out = NULL, *result = NULL;
    Py_ssize_t size_arg, count, i, bad_text = -1, bad_at = 0;
    sk_text *parts = NULL;
    uint64_t *keys = NULL, *ring = NULL;
    unsigned char *scratch = NULL;
    size_t cap = 0, used = 0, total = 0, most = 0, room = 0, ring_len, size;
    int64_t *offsets;
    uint64_t top, lead;
    int failed = 0;
#if SK_CAN_FOLD
    const sk_folds *folds = NULL;
#endif

    (void)module;
    if (!PyArg_ParseTuple(args, "On|O:fast_keys", &texts_arg, &size_arg, &folds_arg)) {
        return NULL;
    }
    if (size_arg < 1) {
        PyErr_Format(PyExc_ValueError, "shingle size must be at least 1, not %zd", size_arg);
        return NULL;
    }
    if (folds_arg != Py_None) {
#if SK_CAN_FOLD
        if ((folds = sk_folds_of(folds_arg)) == NULL) {
            return NULL;
        }
#else
        PyErr_SetString(PyExc_TypeError, "this build cannot fold (no Py_UNICODE_TOLOWER): folds must be None");
        return NULL;
#endif
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
#if SK_CAN_FOLD
        if (folds != NULL) {
            /* Folded from the str's own code points into the scratch buffer: at most 4
             * bytes each, or 1 for an ASCII str, and 4 bytes of room for the last store. */
            size_t bytes;
            len = PyUnicode_GET_LENGTH(text);
            if (len > (PY_SSIZE_T_MAX - 4) / 4) {
                PyErr_NoMemory();
                goto done;
            }
            parts[i].data = PyUnicode_DATA(text);
            parts[i].len = (size_t)len;
            parts[i].kind = (int)PyUnicode_KIND(text);
            bytes = (PyUnicode_IS_ASCII(text) ? 1 : 4) * (size_t)len;
            if (bytes + 4 > room) {
                room = bytes + 4;
            }
            Py_INCREF(text);
            PyTuple_SET_ITEM(holders, i, text);
            total += (size_t)len;
            if (bytes > most) {
                most = bytes;
            }
            continue;
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
        parts[i].data = data;
        parts[i].len = (size_t)len;
        parts[i].kind = 0;
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
    if (room > 0) {
        scratch = PyMem_RawMalloc(room);
    }
    offsets_out = PyByteArray_FromStringAndSize(NULL, (count + 1) * (Py_ssize_t)sizeof(int64_t));
    if (ring == NULL || (room > 0 && scratch == NULL) || offsets_out == NULL) {
        if (offsets_out != NULL) {
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
        const unsigned char *bytes = parts[i].data;
        size_t nbytes = parts[i].len;
#if SK_CAN_FOLD
        if (parts[i].kind != 0) {
            const Py_ssize_t wrote = sk_fold(folds, parts[i].kind, parts[i].data, (Py_ssize_t)parts[i].len, scratch);
            if (wrote < 0) {
                bad_text = i;
                bad_at = -1 - wrote;
                break;
            }
            bytes = scratch;
            nbytes = (size_t)wrote;
        }
#endif
        if (sk_reserve(&keys, &cap, used + (nbytes + 1) / 2) < 0) {
            failed = 1;
            break;
        }
        used += sk_text_keys(bytes, nbytes, size, ring, ring_len, top, lead, keys + used);
        offsets[i + 1] = (int64_t)used;
    }
    Py_END_ALLOW_THREADS

    if (bad_text >= 0) {
        sk_surrogate_error(PyTuple_GET_ITEM(texts, bad_text), bad_at);
        goto done;
    }
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
    PyMem_RawFree(scratch);
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
    /* Read through typed pointers, so the items must be aligned (numpy's views at an
     * odd byte offset are not; the Python side copies those first). */
    if ((uintptr_t)view->buf % (uintptr_t)view->itemsize != 0) {
        PyErr_Format(PyExc_ValueError, "%s must be aligned to its %zd-byte items", name, view->itemsize);
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
    if (perms != 0 && sets > PY_SSIZE_T_MAX / perms) {
        PyErr_Format(PyExc_ValueError, "%zd sets x %zd permutations is too many values", sets, perms);
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

/* ---------------------------------------------------------------- anchors and band keys */

#define SK_ANCHOR_SALT UINT64_C(0x5BD1E995)   /* XORed into a key before it is mixed */
#define SK_BAND_SEED UINT64_C(0x9E3779B97F4A7C15) /* band b starts at (b + 1) times this */

/* A buffer as sk_int_buffer gives it, and of unsigned integers only: numpy widens a
 * signed one to uint64 by its sign, which the loops here do not. */
static int
sk_unsigned_buffer(PyObject *obj, const char *name, Py_ssize_t itemsize, int writable, Py_buffer *view)
{
    const char *format;
    if (sk_int_buffer(obj, name, itemsize, writable, view) < 0) {
        return -1;
    }
    format = view->format == NULL ? "B" : view->format;
    if (strchr("BHILQN", format[strlen(format) - 1]) == NULL) {
        PyErr_Format(PyExc_ValueError, "%s must hold unsigned integers (got format '%s')", name, format);
        PyBuffer_Release(view);
        view->obj = NULL;
        return -1;
    }
    return 0;
}

static inline uint64_t
sk_rotr64(uint64_t x, unsigned k)
{
    return x >> k | x << ((64 - k) & 63);
}

/* The test `x % rate == 0` without a division, for every rate >= 1 (Granlund and
 * Montgomery; Hacker's Delight 10-17): with rate = d * 2**k, d odd, and inv the inverse
 * of d modulo 2**64, x is a multiple of rate exactly when rotr(x * inv, k) <= (2**64 -
 * 1) / rate. For a power of two (d = 1) it is the mask test lsh.anchors uses. */
typedef struct {
    uint64_t inv, limit;
    unsigned shift;
} sk_divisor;

static sk_divisor
sk_divisor_of(uint64_t rate)
{
    sk_divisor out;
    uint64_t odd = rate, inv;
    int i;
    out.shift = SK_CTZ64(rate);
    odd >>= out.shift;
    /* Newton's step doubles the bits that are right; odd * odd = 1 modulo 8 gives 3. */
    inv = odd;
    for (i = 0; i < 5; i++) {
        inv *= 2 - odd * inv;
    }
    out.inv = inv;
    out.limit = UINT64_MAX / rate;
    return out;
}

/* Growth of the anchor buffers, with the raw allocator (no GIL needed). */
static int
sk_reserve_anchors(uint64_t **keys, int64_t **owners, size_t *cap, size_t need)
{
    size_t fresh;
    void *grown;
    if (need <= *cap) {
        return 0;
    }
    fresh = *cap * 2 > need ? *cap * 2 : need;
    if (fresh > PY_SSIZE_T_MAX / sizeof(uint64_t)) {
        return -1;
    }
    if ((grown = PyMem_RawRealloc(*keys, fresh * sizeof(uint64_t))) == NULL) {
        return -1;
    }
    *keys = grown;
    if ((grown = PyMem_RawRealloc(*owners, fresh * sizeof(int64_t))) == NULL) {
        return -1;
    }
    *owners = grown;
    *cap = fresh;
    return 0;
}

/* The anchors of `sets` sets, set s holding keys[offsets[s] - base : offsets[s + 1] -
 * base], appended to the buffers; returns their count, or -1 when memory runs out. Each
 * key is written and the count moves on only if it is picked: no branch on the hash.
 * `pow2` (a constant where it is inlined) says the rate is a power of two, tested by a
 * mask alone, one multiplication less per key. */
SK_INLINE Py_ssize_t
sk_anchor_rows_of(const uint64_t *keys, size_t nkeys, const int64_t *offsets, size_t sets, uint64_t base,
                  sk_divisor rate, const int pow2, uint64_t **out_keys, int64_t **out_owners, size_t *cap)
{
    const uint64_t mask = (UINT64_C(1) << rate.shift) - 1;
    size_t s, k = 0, count = 0;
    for (s = 0; s < sets; s++) {
        /* Checked before the GIL was released; clamped again in case another thread
         * has changed them since: no key is read twice or out of bounds. */
        uint64_t hi = (uint64_t)offsets[s + 1] - base;
        uint64_t *SK_RESTRICT picked;
        int64_t *SK_RESTRICT owners;
        hi = hi > nkeys ? nkeys : hi < k ? k : hi;
        if (sk_reserve_anchors(out_keys, out_owners, cap, count + (size_t)(hi - k)) < 0) {
            return -1;
        }
        picked = *out_keys;
        owners = *out_owners;
        for (; k < hi; k++) {
            const uint64_t key = keys[k];
            const uint64_t mixed = sk_fmix64(key ^ SK_ANCHOR_SALT);
            picked[count] = key;
            owners[count] = (int64_t)s;
            if (pow2) {
                count += (mixed & mask) == 0;
            }
            else {
                count += sk_rotr64(mixed * rate.inv, rate.shift) <= rate.limit;
            }
        }
    }
    return (Py_ssize_t)count;
}

static Py_ssize_t
sk_anchor_rows(const uint64_t *keys, size_t nkeys, const int64_t *offsets, size_t sets, uint64_t base,
               sk_divisor rate, uint64_t **out_keys, int64_t **out_owners, size_t *cap)
{
    if (rate.inv == 1) {
        return sk_anchor_rows_of(keys, nkeys, offsets, sets, base, rate, 1, out_keys, out_owners, cap);
    }
    return sk_anchor_rows_of(keys, nkeys, offsets, sets, base, rate, 0, out_keys, out_owners, cap);
}

PyDoc_STRVAR(anchors_doc,
"anchors(keys, offsets, rate) -> (picked, owners)\n\n"
"The anchors of sets of keys, as lsh._anchors_numpy picks them: each key whose\n"
"fmix64(key ^ 0x5BD1E995) is a multiple of `rate` (an integer >= 1), in order, and the\n"
"set it is in. keys: native uint64; offsets: native int64, rising, the sets' keys being\n"
"keys[offsets[i] - offsets[0] : offsets[i + 1] - offsets[0]], all of them. picked\n"
"(uint64) and owners (int64) come back as bytearrays.");

static PyObject *
sk_anchors(PyObject *module, PyObject *args)
{
    PyObject *keys_obj, *offsets_obj, *rate_obj, *rate_int = NULL, *picked_out = NULL, *owners_out = NULL;
    PyObject *result = NULL;
    Py_buffer keys = {0}, offsets = {0};
    Py_ssize_t nkeys, sets, s, count = 0;
    const int64_t *offs;
    uint64_t *picked = NULL, base = 0;
    int64_t *owners = NULL;
    unsigned long long rate;
    long long small;
    int overflow;
    size_t cap = 0;
    sk_divisor divisor;

    (void)module;
    if (!PyArg_ParseTuple(args, "OOO:anchors", &keys_obj, &offsets_obj, &rate_obj)) {
        return NULL;
    }
    if ((rate_int = PyNumber_Index(rate_obj)) == NULL) {
        return NULL;
    }
    small = PyLong_AsLongLongAndOverflow(rate_int, &overflow);
    if (small == -1 && overflow == 0 && PyErr_Occurred()) {
        goto done;
    }
    if (overflow < 0 || (overflow == 0 && small < 1)) {
        PyErr_Format(PyExc_ValueError, "anchor rate must be at least 1, not %R", rate_int);
        goto done;
    }
    /* Above 2**64 - 1 this raises OverflowError, as numpy does for np.uint64(rate). */
    rate = overflow ? PyLong_AsUnsignedLongLong(rate_int) : (unsigned long long)small;
    if (rate == (unsigned long long)-1 && PyErr_Occurred()) {
        goto done;
    }
    if (sk_unsigned_buffer(keys_obj, "keys", 8, 0, &keys) < 0
        || sk_int_buffer(offsets_obj, "offsets", 8, 0, &offsets) < 0) {
        goto done;
    }
    nkeys = keys.len / 8;
    sets = offsets.len / 8 - 1;
    offs = (const int64_t *)offsets.buf;
    /* As lsh._anchors_numpy accepts them: set sizes that are not negative and add up
     * to the keys; no offsets at all for no keys. */
    if (sets < 0) {
        if (nkeys != 0) {
            PyErr_Format(PyExc_ValueError, "no offsets for %zd keys", nkeys);
            goto done;
        }
        sets = 0;
    }
    else {
        base = (uint64_t)offs[0];
        for (s = 0; s < sets; s++) {
            if (offs[s + 1] < offs[s]) {
                PyErr_Format(PyExc_ValueError, "offsets must not fall (offsets[%zd] is %lld, offsets[%zd] "
                             "%lld)", s, (long long)offs[s], s + 1, (long long)offs[s + 1]);
                goto done;
            }
        }
        if ((uint64_t)offs[sets] - base != (uint64_t)nkeys) {
            PyErr_Format(PyExc_ValueError, "offsets span %llu keys, not the %zd given",
                         (unsigned long long)((uint64_t)offs[sets] - base), nkeys);
            goto done;
        }
    }
    divisor = sk_divisor_of((uint64_t)rate);
    Py_BEGIN_ALLOW_THREADS
    /* About one key in `rate`, and room to grow. */
    if (sk_reserve_anchors(&picked, &owners, &cap, (size_t)nkeys / rate + (size_t)nkeys / rate / 4 + 64) < 0) {
        count = -1;
    }
    else {
        count = sk_anchor_rows((const uint64_t *)keys.buf, (size_t)nkeys, offs, (size_t)sets, base, divisor,
                               &picked, &owners, &cap);
    }
    Py_END_ALLOW_THREADS
    if (count < 0) {
        PyErr_NoMemory();
        goto done;
    }
    picked_out = PyByteArray_FromStringAndSize((const char *)picked, count * (Py_ssize_t)sizeof(uint64_t));
    owners_out = picked_out == NULL ? NULL
                 : PyByteArray_FromStringAndSize((const char *)owners, count * (Py_ssize_t)sizeof(int64_t));
    if (owners_out != NULL) {
        result = PyTuple_Pack(2, picked_out, owners_out);
    }

done:
    PyMem_RawFree(picked);
    PyMem_RawFree(owners);
    Py_XDECREF(picked_out);
    Py_XDECREF(owners_out);
    Py_XDECREF(rate_int);
    if (keys.obj != NULL) {
        PyBuffer_Release(&keys);
    }
    if (offsets.obj != NULL) {
        PyBuffer_Release(&offsets);
    }
    return result;
}

/* Band keys of n signatures of `perms` values of one width (4 or 8 bytes: a constant
 * where it is inlined). Within an article the bands are independent chains of fmix64,
 * so they advance together, a row at a time: the processor overlaps them. */
SK_INLINE void
sk_band_rows_of(const void *sig, const size_t width, size_t n, size_t perms, size_t bands, size_t rows,
                uint64_t *SK_RESTRICT out)
{
    size_t i, band, r;
    for (i = 0; i < n; i++) {
        uint64_t *SK_RESTRICT acc = out + i * bands;
        for (band = 0; band < bands; band++) {
            acc[band] = (uint64_t)(band + 1) * SK_BAND_SEED;
        }
        if (width == 8) {
            const uint64_t *SK_RESTRICT row = (const uint64_t *)sig + i * perms;
            for (r = 0; r < rows; r++) {
                for (band = 0; band < bands; band++) {
                    acc[band] = sk_fmix64(acc[band] ^ row[band * rows + r]);
                }
            }
        }
        else {
            const uint32_t *SK_RESTRICT row = (const uint32_t *)sig + i * perms;
            for (r = 0; r < rows; r++) {
                for (band = 0; band < bands; band++) {
                    acc[band] = sk_fmix64(acc[band] ^ (uint64_t)row[band * rows + r]);
                }
            }
        }
    }
}

static void
sk_band_rows(const void *sig, size_t width, size_t n, size_t perms, size_t bands, size_t rows, uint64_t *out)
{
    if (width == 8) {
        sk_band_rows_of(sig, 8, n, perms, bands, rows, out);
    }
    else {
        sk_band_rows_of(sig, 4, n, perms, bands, rows, out);
    }
}

PyDoc_STRVAR(band_keys_doc,
"band_keys(signatures, bands, rows, out)\n\n"
"LSH band keys into `out`, as lsh._band_keys_numpy computes them: for each article\n"
"and band b, acc = (b + 1) * 0x9E3779B97F4A7C15, then acc = fmix64(acc ^ value) for\n"
"each of the band's `rows` values. signatures: C-contiguous 2-d, native uint32 or\n"
"uint64, with at least bands * rows columns; out: writable uint64, n * bands items.");

static PyObject *
sk_band_keys(PyObject *module, PyObject *args)
{
    PyObject *sig_obj, *out_obj, *result = NULL;
    Py_buffer sig = {0}, out = {0};
    Py_ssize_t bands, rows, n = 0, perms = 0;

    (void)module;
    if (!PyArg_ParseTuple(args, "OnnO:band_keys", &sig_obj, &bands, &rows, &out_obj)) {
        return NULL;
    }
    if (bands < 0 || rows < 0) {
        PyErr_Format(PyExc_ValueError, "bands and rows must not be negative (%zd and %zd)", bands, rows);
        return NULL;
    }
    if (sk_unsigned_buffer(sig_obj, "signatures", 0, 0, &sig) < 0
        || sk_unsigned_buffer(out_obj, "out", 8, 1, &out) < 0) {
        goto done;
    }
    if (sig.ndim != 2 || sig.shape == NULL) {
        PyErr_Format(PyExc_ValueError, "signatures must be 2-d (n x num_perm), not %d-d", sig.ndim);
        goto done;
    }
    n = sig.shape[0];
    perms = sig.shape[1];
    if (rows > 0 && bands > perms / rows) {
        PyErr_Format(PyExc_ValueError, "%zd bands of %zd rows need more than the %zd values of a signature",
                     bands, rows, perms);
        goto done;
    }
    if (n > 0 && bands > PY_SSIZE_T_MAX / 8 / n) {
        PyErr_Format(PyExc_ValueError, "%zd signatures x %zd bands are too many band keys", n, bands);
        goto done;
    }
    if (out.len / 8 != n * bands) {
        PyErr_Format(PyExc_ValueError, "out holds %zd values, not %zd signatures x %zd bands", out.len / 8, n,
                     bands);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    sk_band_rows(sig.buf, (size_t)sig.itemsize, (size_t)n, (size_t)perms, (size_t)bands, (size_t)rows,
                 (uint64_t *)out.buf);
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);

done:
    if (sig.obj != NULL) {
        PyBuffer_Release(&sig);
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
    {"anchors", sk_anchors, METH_VARARGS, anchors_doc},
    {"band_keys", sk_band_keys, METH_VARARGS, band_keys_doc},
#if SK_CAN_FOLD
    {"fold_table", sk_fold_table, METH_VARARGS, fold_table_doc},
    {"folded_utf8", sk_folded_utf8, METH_VARARGS, folded_utf8_doc},
#endif
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef sk_module = {
    PyModuleDef_HEAD_INIT,
    "crosscheck.dedup._sketchcore",
    "Compiled core of crosscheck.dedup: fast shingle keys (of texts folded as read, when\n"
    "given a fold_table), affine32 MinHash, LSH band keys and anchors, bit-identical to\n"
    "the Python and numpy code they replace.",
    -1,
    sk_methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

/* What the Python side checks before it uses the module: a build left from an older
 * source (the .so is built in place and survives a failed rebuild) must not be used.
 * Raise it whenever a function is added or changes what it computes. */
#define SK_CORE_VERSION 3

PyMODINIT_FUNC
PyInit__sketchcore(void)
{
    PyObject *module;
    sk_init_spaces();
    module = PyModule_Create(&sk_module);
    if (module != NULL && PyModule_AddIntConstant(module, "CORE_VERSION", SK_CORE_VERSION) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
