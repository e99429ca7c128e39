"""Maintainer workflows: drift check and breaking-change reports."""
