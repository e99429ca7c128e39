"""chatkit-codegen: OpenAPI 3.x to typed Python models, clients and docs."""

__version__ = "0.1.0"
