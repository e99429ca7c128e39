"""Validation keywords: minimum, maximum, exclusive bounds, lengths, pattern, multipleOf."""

from __future__ import annotations

from typing import Any

from ..model import (
    NO_CONSTRAINTS,
    Constraints,
)
from .names import NamesLayer
from .schema import (
    as_list,
    num,
    types_of,
)


class ConstraintsLayer(NamesLayer):
    def _constraints(self, schema: dict[str, Any]) -> Constraints:
        s = schema
        for key in ("anyOf", "oneOf"):
            variants = [v for v in as_list(s.get(key)) if isinstance(v, dict) and v.get("type") != "null"]
            if len(variants) == 1 and "$ref" not in variants[0]:
                s = {**variants[0], **{k: v for k, v in s.items() if k not in (key,)}}
        ge = s.get("minimum")
        le = s.get("maximum")
        gt = s.get("exclusiveMinimum")
        lt = s.get("exclusiveMaximum")
        if isinstance(gt, bool):  # OpenAPI 3.0: a flag on minimum
            gt, ge = (ge, None) if gt else (None, ge)
        if isinstance(lt, bool):
            lt, le = (le, None) if lt else (None, le)
        types = types_of(s)
        is_str = "string" in types
        is_arr = "array" in types
        min_len = s.get("minLength") if is_str else s.get("minItems") if is_arr else None
        max_len = s.get("maxLength") if is_str else s.get("maxItems") if is_arr else None
        pattern = s.get("pattern") if is_str else None
        if "const" in s or "enum" in s:
            return NO_CONSTRAINTS
        return Constraints(
            ge=num(ge),
            gt=num(gt),
            le=num(le),
            lt=num(lt),
            multiple_of=num(s.get("multipleOf")),
            min_length=min_len if isinstance(min_len, int) and not isinstance(min_len, bool) else None,
            max_length=max_len if isinstance(max_len, int) and not isinstance(max_len, bool) else None,
            pattern=pattern if isinstance(pattern, str) else None,
        )

