from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateAvatarByImageRequest")


@_attrs_define
class CreateAvatarByImageRequest:
    """The request body. `additionalProperties` is left open (true) on purpose: the vendor's own official sample sends
    `model_id`, a field absent from its body table, so the vendor demonstrably accepts fields beyond the ones it lists,
    and it never states that unknown fields are rejected. A closed schema would claim a rejection the vendor never
    documented.

        Attributes:
            file_id (str): The id of an uploaded image file. Requires a valid image file_id; use a clear portrait-style
                image for best results. Non-empty (an empty id cannot name a file).
            title (str | Unset): Optional title of the avatar asset.
            model_id (str | Unset): Inferred. The model that performs the clone. The vendor's body table does not list this
                field, but its official sample "uses avatar-image-clone-standard" and code 1410 ("invalid model") exists, so it
                is modelled as optional with that default. Default: 'avatar-image-clone-standard'.
    """

    file_id: str
    title: str | Unset = UNSET
    model_id: str | Unset = "avatar-image-clone-standard"
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        file_id = self.file_id

        title = self.title

        model_id = self.model_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "file_id": file_id,
            }
        )
        if title is not UNSET:
            field_dict["title"] = title
        if model_id is not UNSET:
            field_dict["model_id"] = model_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        file_id = d.pop("file_id")

        title = d.pop("title", UNSET)

        model_id = d.pop("model_id", UNSET)

        # Every field is set right here, so attrs' __init__ (defaults, factories) would only be
        # overwritten: skipping it halves the cost of parsing a small model (a listed asset).
        create_avatar_by_image_request = cls.__new__(cls)
        create_avatar_by_image_request.file_id = file_id
        create_avatar_by_image_request.title = title
        create_avatar_by_image_request.model_id = model_id

        create_avatar_by_image_request.additional_properties = d
        return create_avatar_by_image_request

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
