"""Renderers: IR in, file text out. Templates print; these modules decide."""
