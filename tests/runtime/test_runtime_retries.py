"""Retry decisions and delays: statuses, transport errors, backoff, Retry-After."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

ClientFactory = Callable[..., Any]
THREAD = {"id": "cthr_1", "object": "chatkit.thread"}
NO_JITTER = {"jitter": 0.0}


def ok() -> httpx.Response:
    return httpx.Response(200, json=THREAD)


def get(rt: SimpleNamespace) -> Any:
    return rt.APIRequest("GET", "/chatkit/threads/cthr_1")


def post(rt: SimpleNamespace, **kwargs: Any) -> Any:
    return rt.APIRequest("POST", "/chatkit/sessions", json={"user": "u"}, **kwargs)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 599])
def test_retryable_statuses_are_retried_with_backoff(
    rt: SimpleNamespace,
    script: Any,
    make_client: ClientFactory,
    delays: list[float],
    status: int,
) -> None:
    replay = script(httpx.Response(status), httpx.Response(status), ok())
    client = make_client(replay, retry_policy=rt.RetryPolicy(**NO_JITTER))
    thread = client.request(get(rt), cast_to=rt.models.Thread)
    assert thread.id == "cthr_1"
    assert len(replay.requests) == 3
    assert delays == [0.5, 1.0]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(
    rt: SimpleNamespace,
    script: Any,
    make_client: ClientFactory,
    delays: list[float],
    status: int,
) -> None:
    replay = script(httpx.Response(status))
    with pytest.raises(rt.APIStatusError):
        make_client(replay, max_retries=5).request(get(rt), cast_to=rt.models.Thread)
    assert len(replay.requests) == 1 and delays == []


def test_connection_errors_are_retried_then_raised(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    replay = script(
        httpx.ConnectError("refused"),
        httpx.RemoteProtocolError("server disconnected"),
        httpx.ReadError("reset"),
    )
    client = make_client(replay, retry_policy=rt.RetryPolicy(**NO_JITTER))
    with pytest.raises(rt.APIConnectionError):
        client.request(get(rt), cast_to=rt.models.Thread)
    assert len(replay.requests) == 3
    assert delays == [0.5, 1.0]


def test_backoff_is_exponential_and_capped(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    policy = rt.RetryPolicy(max_retries=6, initial_delay=0.5, max_delay=4.0, jitter=0)
    replay = script(*[httpx.Response(500) for _ in range(6)], ok())
    make_client(replay, retry_policy=policy).request(get(rt), cast_to=rt.models.Thread)
    assert delays == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]


def test_jitter_is_bounded_and_reproducible_with_a_seeded_rng(
    rt: SimpleNamespace,
) -> None:
    policy = rt.RetryPolicy(max_retries=10, max_delay=100.0, jitter=0.25)
    first = [rt.backoff_delay(policy, n, random.Random(7)) for n in range(5)]
    again = [rt.backoff_delay(policy, n, random.Random(7)) for n in range(5)]
    assert first == again
    rng = random.Random(42)
    for attempt in range(5):
        base = 0.5 * 2**attempt
        samples = [rt.backoff_delay(policy, attempt, rng) for _ in range(200)]
        assert all(base * 0.75 <= s <= base * 1.25 for s in samples)
        assert len(set(samples)) > 1  # it does jitter


def test_retry_after_seconds_is_honoured(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    replay = script(
        httpx.Response(429, headers={"Retry-After": "20"}),
        httpx.Response(503, headers={"retry-after-ms": "1500"}),
        ok(),
    )
    make_client(replay).request(get(rt), cast_to=rt.models.Thread)
    # Above max_delay (8 s) but within the 60 s bound: the server wins.
    assert delays == [20.0, 1.5]


def test_retry_after_http_date_is_measured_against_date_header(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    server_now = datetime(2030, 1, 1, 12, 0, 0, tzinfo=UTC)
    headers = {
        "Date": format_datetime(server_now, usegmt=True),
        "Retry-After": format_datetime(server_now + timedelta(seconds=3), usegmt=True),
    }
    replay = script(httpx.Response(429, headers=headers), ok())
    make_client(replay).request(get(rt), cast_to=rt.models.Thread)
    assert delays == [3.0]


def test_retry_after_above_bound_falls_back_to_backoff(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    replay = script(
        httpx.Response(429, headers={"Retry-After": "3600"}),
        httpx.Response(429, headers={"Retry-After": "soon"}),
        ok(),
    )
    policy = rt.RetryPolicy(**NO_JITTER)
    make_client(replay, retry_policy=policy).request(get(rt), cast_to=rt.models.Thread)
    assert delays == [0.5, 1.0]


def test_parse_retry_after_variants(rt: SimpleNamespace) -> None:
    now = datetime(2030, 1, 1, tzinfo=UTC)
    past = format_datetime(now - timedelta(seconds=30), usegmt=True)
    future = format_datetime(now + timedelta(seconds=90), usegmt=True)
    parse = rt.parse_retry_after
    assert parse({}) is None
    assert parse({"Retry-After": "2.5"}) == 2.5
    assert parse({"Retry-After": "-4"}) == 0.0
    assert parse({"Retry-After": "nan"}) is None
    assert parse({"Retry-After": "tomorrow"}) is None
    assert parse({"Retry-After": past}, now=now) == 0.0
    assert parse({"Retry-After": future}, now=now) == 90.0
    assert parse({"retry-after-ms": "250", "Retry-After": "9"}) == 0.25
    assert parse({"retry-after-ms": "x", "Retry-After": "9"}) == 9.0
    policy = rt.RetryPolicy(jitter=0)
    rng = random.Random(0)
    assert rt.retry_delay(policy, 0, rng=rng, headers={"Retry-After": "60"}) == 60.0
    assert rt.retry_delay(policy, 0, rng=rng, headers={"Retry-After": "61"}) == 0.5
    custom = rt.RetryPolicy(jitter=0, max_retry_after=5)
    assert rt.retry_delay(custom, 1, rng=rng, headers={"Retry-After": "6"}) == 1.0


def test_post_is_not_retried_by_default(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    replay = script(httpx.Response(503))
    with pytest.raises(rt.InternalServerError):
        make_client(replay).request(post(rt), cast_to=rt.models.Thread)
    replay = script(httpx.ConnectError("refused"))
    with pytest.raises(rt.APIConnectionError):
        make_client(replay).request(post(rt), cast_to=rt.models.Thread)
    assert len(replay.requests) == 1 and delays == []


def test_post_is_retried_when_enabled_or_marked_idempotent(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory
) -> None:
    policy = rt.RetryPolicy(retry_non_idempotent=True)
    replay = script(httpx.Response(503), ok())
    make_client(replay, retry_policy=policy).request(post(rt), cast_to=rt.models.Thread)
    assert len(replay.requests) == 2
    assert replay.requests[0].content == replay.requests[1].content == b'{"user":"u"}'
    replay = script(httpx.ReadTimeout("slow"), ok())
    request = post(rt, idempotent=True, headers={"Idempotency-Key": "k1"})
    make_client(replay).request(request, cast_to=rt.models.Thread)
    assert len(replay.requests) == 2


def test_max_retries_is_respected(
    rt: SimpleNamespace, script: Any, make_client: ClientFactory, delays: list[float]
) -> None:
    def failing(attempts: int) -> Any:
        return script(*[httpx.Response(500) for _ in range(attempts)])

    for max_retries in (0, 1, 3):
        replay = failing(max_retries + 1)
        with pytest.raises(rt.InternalServerError):
            make_client(replay, max_retries=max_retries).request(
                get(rt), cast_to=rt.models.Thread
            )
        assert len(replay.requests) == max_retries + 1
    # per-call override wins over the client setting
    replay = failing(1)
    with pytest.raises(rt.InternalServerError):
        make_client(replay, max_retries=5).request(
            get(rt), cast_to=rt.models.Thread, max_retries=0
        )
    assert len(replay.requests) == 1


def test_max_retries_and_retry_policy_interplay(rt: SimpleNamespace) -> None:
    policy = rt.RetryPolicy(max_retries=5, jitter=0)
    assert rt.SyncAPIClient(api_key="k").retry_policy == rt.RetryPolicy()
    assert rt.SyncAPIClient(api_key="k", max_retries=4).retry_policy.max_retries == 4
    with_policy = rt.SyncAPIClient(api_key="k", retry_policy=policy)
    assert with_policy.retry_policy == policy
    both = rt.SyncAPIClient(api_key="k", retry_policy=policy, max_retries=0)
    assert both.retry_policy.max_retries == 0 and both.retry_policy.jitter == 0


def test_plan_retry_is_shared_pure_logic(rt: SimpleNamespace) -> None:
    policy = rt.RetryPolicy(max_retries=2, jitter=0)
    rng = random.Random(0)
    request = httpx.Request("GET", "https://api.test/v1/x")
    busy = httpx.Response(503, request=request)
    assert rt.plan_retry(policy, get(rt), 0, rng, busy) == 0.5
    assert rt.plan_retry(policy, get(rt), 1, rng) == 1.0
    assert rt.plan_retry(policy, get(rt), 2, rng, busy) is None
    assert rt.plan_retry(policy, post(rt), 0, rng, busy) is None
    not_found = httpx.Response(404, request=request)
    assert rt.plan_retry(policy, get(rt), 0, rng, not_found) is None


@pytest.mark.parametrize(
    "kwargs",
    [{"max_retries": -1}, {"initial_delay": -1}, {"jitter": 1.5}, {"max_delay": -2}],
)
def test_retry_policy_validates(rt: SimpleNamespace, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        rt.RetryPolicy(**kwargs)


def test_async_retries_use_injected_sleep(
    rt: SimpleNamespace,
    script: Any,
    make_async_client: ClientFactory,
    delays: list[float],
) -> None:
    replay = script(
        httpx.Response(429, headers={"retry-after": "2"}),
        httpx.ReadTimeout("slow"),
        ok(),
    )

    async def main() -> Any:
        async with make_async_client(
            replay, retry_policy=rt.RetryPolicy(**NO_JITTER)
        ) as client:
            return await client.request(get(rt), cast_to=rt.models.Thread)

    assert asyncio.run(main()).id == "cthr_1"
    assert delays == [2.0, 1.0]
