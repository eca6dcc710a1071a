from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Asset")


@_attrs_define
class Asset:
    """An avatar asset: the one Create Avatar by Image created, or one item of List Avatars. The vendor documents no
    fields; this object stays open.

        Attributes:
            avatar_asset_id (str | Unset): Inferred from the vendor's sample output (`avatar_asset_id`
                "official_avatar_demo_image_001"): the id of the created avatar asset.
    """

    avatar_asset_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        avatar_asset_id = self.avatar_asset_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if avatar_asset_id is not UNSET:
            field_dict["avatar_asset_id"] = avatar_asset_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        avatar_asset_id = d.pop("avatar_asset_id", UNSET)

        # Every field is set right here, so attrs' __init__ (defaults, factories) would only be
        # overwritten: skipping it halves the cost of parsing a small model (a listed asset).
        asset = cls.__new__(cls)
        asset.avatar_asset_id = avatar_asset_id

        asset.additional_properties = d
        return asset

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
