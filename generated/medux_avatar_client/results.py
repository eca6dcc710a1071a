"""What each operation's ``sync``/``asyncio`` return on success: the members its success carries are set.

Do not edit: ``make generate`` renders this module (medux_contract/generation/success_types.py) from
each operation's ``x-medux-outcomes`` (``carries``) and the models the generator wrote. Each
``<Operation>Result`` is a read-only view of the envelope model the call parsed (``to_dict`` and
``additional_properties`` included); a member the success code carries is typed without ``Unset``,
because the client raises ``MalformedResponseError`` rather than return a success that lacks it.
"""

from __future__ import annotations

from typing import Any, Protocol

from .models import Asset, PaidPlanRequired, ResponseCode, ResponseMessage, Task
from .types import Unset


class CreateAvatarByImageResultData(Protocol):
    """``data`` of a createAvatarByImage success: it carries asset."""

    @property
    def asset(self) -> Asset: ...

    @property
    def paid_plan_required(self) -> PaidPlanRequired | Unset: ...

    @property
    def task(self) -> Task | Unset: ...

    @property
    def additional_properties(self) -> dict[str, Any]: ...

    def to_dict(self) -> dict[str, Any]: ...

    def __getitem__(self, key: str) -> Any: ...

    def __contains__(self, key: str) -> bool: ...


class CreateAvatarByImageResult(Protocol):
    """The success envelope of createAvatarByImage, as ``sync``/``asyncio`` return it."""

    @property
    def code(self) -> ResponseCode: ...

    @property
    def message(self) -> ResponseMessage | Unset: ...

    @property
    def data(self) -> CreateAvatarByImageResultData: ...

    @property
    def additional_properties(self) -> dict[str, Any]: ...

    def to_dict(self) -> dict[str, Any]: ...

    def __getitem__(self, key: str) -> Any: ...

    def __contains__(self, key: str) -> bool: ...


class ListAvatarsResultData(Protocol):
    """``data`` of a listAvatars success: it carries items."""

    @property
    def items(self) -> list[Asset]: ...

    @property
    def next_cursor(self) -> str | Unset: ...

    @property
    def additional_properties(self) -> dict[str, Any]: ...

    def to_dict(self) -> dict[str, Any]: ...

    def __getitem__(self, key: str) -> Any: ...

    def __contains__(self, key: str) -> bool: ...


class ListAvatarsResult(Protocol):
    """The success envelope of listAvatars, as ``sync``/``asyncio`` return it."""

    @property
    def code(self) -> ResponseCode: ...

    @property
    def message(self) -> ResponseMessage | Unset: ...

    @property
    def data(self) -> ListAvatarsResultData: ...

    @property
    def additional_properties(self) -> dict[str, Any]: ...

    def to_dict(self) -> dict[str, Any]: ...

    def __getitem__(self, key: str) -> Any: ...

    def __contains__(self, key: str) -> bool: ...


__all__ = [
    "CreateAvatarByImageResultData",
    "CreateAvatarByImageResult",
    "ListAvatarsResultData",
    "ListAvatarsResult",
]
