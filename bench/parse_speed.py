"""Issue 8.4: parse a large ChatKitThreadItemList page with three sets of models.

The page repeats the spec's own six-kind example (user and assistant messages,
widget, client tool call, task, task group) with fresh ids up to ``--items`` items,
as raw JSON bytes. Timed, interleaved, in one process
(GC paused while a call runs, as timeit does):

* the generated models, ``ChatKitThreadItemList.model_validate_json``;
* the hand-written ideal model (``ideal_models.py``), ``model_validate_json``;
* openai's own types (``openai.types.beta.chatkit``), ``model_validate`` of the
  decoded JSON and, for reference, ``model_validate_json``. The ratio uses the faster.

Then one bad item (a widget without its ``widget``) goes through each, and the
number of validation errors is printed: a discriminated union reports one error for
the tagged variant, a plain union one per variant tried.

    python bench/parse_speed.py [--runs N] [--items N] [--package-dir generated]
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml
from common import (
    GENERATED,
    SPEC,
    Figure,
    Ratio,
    Sample,
    cli,
    interleave,
    print_figure,
    print_header,
    print_series,
)
from pydantic import ValidationError

OURS = "generated  model_validate_json"
IDEAL = "ideal      model_validate_json"
OPENAI = "openai     model_validate(json.loads)"
OPENAI_JSON = "openai     model_validate_json"
IDEAL_TARGET = 1.05
OPENAI_TARGET = 2.0


def example_items(spec: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    op = data["paths"]["/chatkit/threads/{thread_id}/items"]["get"]
    examples = op["responses"]["200"]["content"]["application/json"]["examples"]
    items: list[dict[str, Any]] = next(iter(examples.values()))["value"]["data"]
    kinds = {item["type"] for item in items}
    if len(kinds) < 6:
        raise SystemExit(f"the spec's item-list example has {len(kinds)} item kinds, expected 6")
    return items


def make_page(items: list[dict[str, Any]], count: int, bad_at: int | None = None) -> bytes:
    data = []
    for i in range(count):
        item = copy.deepcopy(items[i % len(items)])
        item["id"] = f"cthi_{i:08d}"
        item["created_at"] = 1759920000 + i
        data.append(item)
    if bad_at is not None:
        data[bad_at] = {k: v for k, v in data[bad_at].items() if k != "widget"}
        data[bad_at]["type"] = "chatkit.widget"
    page = {"data": data, "first_id": data[0]["id"], "has_more": False, "last_id": data[-1]["id"], "object": "list"}
    return json.dumps(page).encode()


def timed(fn: Callable[[], object]) -> Callable[[], Sample]:
    """One call, timed with the cyclic GC off (as ``timeit`` does) after a collection.

    A 10,000-item page makes about a million objects; left on, the collector's passes
    over them land at random in one parser's run or another's and swamp the figure.
    """

    def run() -> Sample:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            fn()
            return Sample(time.perf_counter() - start)
        finally:
            gc.enable()

    return run


def error_count(fn: Callable[[], object]) -> int:
    try:
        fn()
    except ValidationError as exc:
        return len(exc.errors())
    return 0


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--package-dir", type=Path, default=GENERATED, help="folder holding chatkit_api/")
    parser.add_argument("--spec", type=Path, default=SPEC)
    args = parser.parse_args(argv)
    runs = max(1, args.runs)

    sys.path.insert(0, str(args.package_dir.resolve()))
    from chatkit_api.types import ChatKitThreadItemList as Ours
    from ideal_models import ThreadItemList as Ideal

    try:
        from openai.types.beta.chatkit import ChatKitThreadItemList as OpenAI
    except ImportError:
        OpenAI = None

    items = example_items(args.spec)
    raw = make_page(items, args.items)
    bad = make_page(items, args.items, bad_at=args.items // 2)
    print_header(
        "8.4 parse speed",
        f"page: {args.items} items of 6 kinds, {len(raw) / 1e6:.1f} MB JSON; {runs} interleaved runs in one process",
    )

    parsers: dict[str, Callable[[bytes], object]] = {
        OURS: Ours.model_validate_json,
        IDEAL: Ideal.model_validate_json,
    }
    if OpenAI is not None:
        parsers[OPENAI] = lambda b: OpenAI.model_validate(json.loads(b))
        parsers[OPENAI_JSON] = OpenAI.model_validate_json
    else:
        print("   openai is not installed: its figures are skipped (nox -s bench installs it)")

    for name, parse in parsers.items():  # every parser must accept the page it is timed on
        page: Any = parse(raw)
        if len(page.data) != args.items:
            raise SystemExit(f"{name}: parsed {len(page.data)} items, expected {args.items}")

    series = interleave({name: timed(lambda p=parse: p(raw)) for name, parse in parsers.items()}, runs)
    print_series(series, unit="ms", scale=1000)

    vs_ideal = Ratio.of(series[OURS], series[IDEAL])
    print(f"   generated/ideal: {vs_ideal.text()}")
    figures = [
        Figure(
            "8.4",
            f"parse {args.items} items, generated vs ideal (time ratio)",
            f"{vs_ideal.median:.3f} ({series[OURS].median * 1000:.1f} ms vs {series[IDEAL].median * 1000:.1f} ms)",
            f"<= {IDEAL_TARGET}",
            vs_ideal.median <= IDEAL_TARGET,
        )
    ]
    if OpenAI is not None:
        peer = min((OPENAI, OPENAI_JSON), key=lambda n: series[n].median)
        speedup = Ratio.of(series[peer], series[OURS])
        print(f"   openai/generated ({peer.split(maxsplit=1)[1]}): {speedup.text()}")
        figures.append(
            Figure(
                "8.4",
                f"parse {args.items} items, speed-up over openai's types",
                f"{speedup.median:.2f}x ({series[OURS].median * 1000:.1f} ms vs {series[peer].median * 1000:.1f} ms)",
                f">= {OPENAI_TARGET}x",
                speedup.median >= OPENAI_TARGET,
            )
        )

    print(f"   one bad item (widget without 'widget') at index {args.items // 2}: validation errors")
    counts = {name: error_count(lambda p=parse: p(bad)) for name, parse in parsers.items()}
    for name, n in counts.items():
        print(f"     {name:<38} {n}")
    figures.append(
        Figure(
            "8.4",
            "validation errors for one bad item (generated models)",
            f"{counts[OURS]}" + (f" (openai's types: {counts[OPENAI]})" if OPENAI in counts else ""),
            "1",
            counts[OURS] == 1,
        )
    )
    for fig in figures:
        print_figure(fig)
    return figures


if __name__ == "__main__":
    cli(main)
