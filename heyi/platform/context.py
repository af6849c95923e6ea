"""Who is acting, for which company and from where: set once per request or job.

Services take `actor` and `company` explicitly; the context only carries what an audit row
needs beyond that (source, address, request id), so deep helpers need not thread it through.
"""

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RequestContext:
    source: str = "job"  # web | api | job | cli
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "heyi_request_context", default=None
)


def current() -> RequestContext:
    return _current.get() or RequestContext(source="cli")


@contextlib.contextmanager
def acting(source: str, ip: str | None = None, request_id: str | None = None) -> Iterator[RequestContext]:
    ctx = RequestContext(source=source, ip=ip, request_id=request_id or uuid.uuid4().hex)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_current(ctx: RequestContext | None) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
