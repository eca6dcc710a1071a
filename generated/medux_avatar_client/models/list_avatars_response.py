from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.response_code import ResponseCode
from ..models.response_message import ResponseMessage
from ..types import UNSET, Unset

T = TypeVar("T", bound="ListAvatarsResponse")


@_attrs_define
class ListAvatarsResponse:
    """The Medux response envelope of List Avatars. The vendor documents every field as optional; `code` is the outcome
    (see `x-medux-codes`).

        Attributes:
            code (ResponseCode | Unset): Application response code, in the vendor's documented order. Its name, message,
                meaning and flags are in the root table `x-medux-codes`.
            message (ResponseMessage | Unset): Short message paired with `code`. Inferred pairing: the vendor lists both
                enumerations in the same order, and the pairing agrees with every row of its code table.
            data (AvatarPage | Unset): One page of avatar assets. The vendor documents `items` (an array of objects) and
                `next_cursor` (a string); this object stays open.
    """

    code: ResponseCode | Unset = UNSET
    message: ResponseMessage | Unset = UNSET
    data: AvatarPage | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: int | Unset = UNSET
        if not isinstance(self.code, Unset):
            code = self.code.value

        message: str | Unset = UNSET
        if not isinstance(self.message, Unset):
            message = self.message.value

        data: dict[str, Any] | Unset = UNSET
        if not isinstance(self.data, Unset):
            data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if code is not UNSET:
            field_dict["code"] = code
        if message is not UNSET:
            field_dict["message"] = message
        if data is not UNSET:
            field_dict["data"] = data

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _code = d.pop("code", UNSET)
        code: ResponseCode | Unset
        if _code is None or isinstance(_code, Unset):
            code = UNSET
        else:
            code = ResponseCode(_code)

        _message = d.pop("message", UNSET)
        message: ResponseMessage | Unset
        if _message is None or isinstance(_message, Unset):
            message = UNSET
        else:
            message = ResponseMessage(_message)

        _data = d.pop("data", UNSET)
        data: AvatarPage | Unset
        if _data is None or isinstance(_data, Unset):
            data = UNSET
        else:
            data = AvatarPage.from_dict(_data)

        # Every field is set right here, so attrs' __init__ (defaults, factories) would only be
        # overwritten: skipping it halves the cost of parsing a small model (a listed asset).
        list_avatars_response = cls.__new__(cls)
        list_avatars_response.code = code
        list_avatars_response.message = message
        list_avatars_response.data = data

        list_avatars_response.additional_properties = d
        return list_avatars_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties


# The models this one nests, imported once here rather than in every from_dict/to_dict call (an import
# statement per response parse costs time); below the class, so that a cycle between models still
# resolves: the module that imports this one midway finds the class above already defined.
from ..models.avatar_page import AvatarPage
