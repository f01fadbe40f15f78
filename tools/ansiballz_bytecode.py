"""A bytecode cache for the modules Ansible runs: a quarter of each module run's CPU time, kept across runs.

Every Ansible module runs as a new Python process from an AnsiballZ zip (the module, ansible.module_utils, amazon.aws's
and this collection's module_utils). Python never caches the bytecode of what it imports from a zip, so each module run
compiles ~300 kB of source again: about 0.2 s of the ~0.8 s a module run costs here (measured on dito.chat.ecs_cluster:
0.78 s CPU from the zip, 0.58 s with the bytecode at hand). site.yml runs some 250 modules; the tests, thousands.

This hook keeps the compiled code of each source file of a payload in a cache directory, keyed by a hash of the source
(and the interpreter's bytecode magic number), so the next run loads it instead of compiling. What runs is the same
code: a source that changed has another hash. Only AnsiballZ payloads (``ansible_<module>_payload.zip``) are concerned;
every other zip import is left to Python as it is.

tools/setup.sh links it into the project's virtualenv with a ``.pth`` file, so every Python of that virtualenv (the
one `make local` and `make test` run Ansible and its modules with) has it. It is not part of the collection, changes
nothing on the AWS side, and does not reach a user's own virtualenv unless they link it the same way (README "Speed").
``DITO_ANSIBALLZ_BYTECODE=off`` turns it off; ``DITO_ANSIBALLZ_BYTECODE=<directory>`` moves the cache (default
``$XDG_CACHE_HOME/dito-chat/ansiballz-bytecode`` or ``~/.cache/dito-chat/ansiballz-bytecode``).
"""

import os
import types
import zipimport

ENVIRONMENT = "DITO_ANSIBALLZ_BYTECODE"
PAYLOAD = "_payload.zip"


def cache_directory(environ=None):
    """The cache directory, or None when the cache is off (`environ`: os.environ unless given)."""
    environ = os.environ if environ is None else environ
    setting = environ.get(ENVIRONMENT, "")
    if setting.lower() in ("off", "0", "false", "no"):
        return None
    if setting:
        return setting
    base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dito-chat", "ansiballz-bytecode")


def renamed(code, filename):
    """The code object (and those nested in it) as compiled from `filename`: a cached code object was compiled from
    another run's payload path, and tracebacks should name this run's."""
    if code.co_filename == filename:
        return code
    consts = tuple(renamed(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def caching(compile_source, directory):
    """A replacement of zipimport's source compiler that keeps what it compiles from AnsiballZ payloads."""

    def compile_cached(pathname, source):
        if PAYLOAD not in pathname:
            return compile_source(pathname, source)
        import hashlib
        import marshal
        from importlib._bootstrap_external import MAGIC_NUMBER

        key = hashlib.sha256(MAGIC_NUMBER + bytes(source)).hexdigest()
        path = os.path.join(directory, key[:2], key)
        try:
            with open(path, "rb") as f:
                # As trusted as Python's own __pycache__: the user's cache directory, made private (0700) below.
                code = marshal.load(f)  # noqa: S302
            if isinstance(code, types.CodeType):
                return renamed(code, pathname)
        except (OSError, EOFError, ValueError, TypeError):
            pass
        code = compile_source(pathname, source)
        try:  # written whole, then renamed: a concurrent reader sees the whole file or none
            os.makedirs(directory, mode=0o700, exist_ok=True)
            os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
            partial = f"{path}.{os.getpid()}.tmp"
            with open(partial, "wb") as f:
                marshal.dump(code, f)
            os.replace(partial, path)
        except OSError:
            pass
        return code

    compile_cached.dito_original = compile_source
    return compile_cached


def install(environ=None):
    """Put the cache in front of zipimport's compiler (once); returns the cache directory or None."""
    directory = cache_directory(environ)
    current = getattr(zipimport, "_compile_source", None)
    if directory is None or current is None or hasattr(current, "dito_original"):
        return None
    zipimport._compile_source = caching(current, directory)
    return directory
