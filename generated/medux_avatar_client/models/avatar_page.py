from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AvatarPage")


@_attrs_define
class AvatarPage:
    """One page of avatar assets. The vendor documents `items` (an array of objects) and `next_cursor` (a string); this
    object stays open.

        Attributes:
            items (list[Asset] | Unset): The avatar assets of this page. Inferred: oldest first, at most `limit` of them.
            next_cursor (str | Unset): The `cursor` of the next page. Inferred: absent on the last page; treat `null` or an
                empty string the same way.
    """

    items: list[Asset] | Unset = UNSET
    next_cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.items, Unset):
            items = []
            for items_item_data in self.items:
                items_item = items_item_data.to_dict()
                items.append(items_item)

        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if items is not UNSET:
            field_dict["items"] = items
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _items = d.pop("items", UNSET)
        items: list[Asset] | Unset = UNSET
        if _items is not UNSET:
            items = []
            for items_item_data in _items:
                items_item = Asset.from_dict(items_item_data)

                items.append(items_item)

        next_cursor = d.pop("next_cursor", UNSET)

        # Every field is set right here, so attrs' __init__ (defaults, factories) would only be
        # overwritten: skipping it halves the cost of parsing a small model (a listed asset).
        avatar_page = cls.__new__(cls)
        avatar_page.items = items
        avatar_page.next_cursor = next_cursor

        avatar_page.additional_properties = d
        return avatar_page

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
from ..models.asset import Asset
