"""The optional compiled core of crosscheck.dedup; all metadata lives in pyproject.toml.

``optional=True``: without a C compiler the install still succeeds and dedup runs its
numpy code, which computes the same bits.
"""

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    """-O3 on gcc and clang, so that the MinHash loop over permutations is vectorized."""

    def build_extensions(self):
        if self.compiler.compiler_type in ("unix", "mingw32", "cygwin"):
            for ext in self.extensions:
                ext.extra_compile_args = [*ext.extra_compile_args, "-O3"]
        super().build_extensions()


setup(
    ext_modules=[
        Extension(
            "crosscheck.dedup._sketchcore",
            ["src/crosscheck/dedup/_sketchcore.c"],
            optional=True,
        )
    ],
    cmdclass={"build_ext": BuildExt},
)
