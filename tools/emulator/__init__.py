"""The local AWS emulator: moto in server mode on loopback, plus a compatibility layer.

``python -m tools.emulator --help`` is the command line. The compatibility layer lives in
``tools/emulator/patches``: each patch restores one documented AWS behaviour that moto lacks or
bends, and every patch is listed in ``tools.emulator.patches.PATCHES``.
"""
