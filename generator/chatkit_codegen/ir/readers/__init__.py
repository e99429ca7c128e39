"""The layers of the IR build, one module per concern; see ``ir/build.py``."""
