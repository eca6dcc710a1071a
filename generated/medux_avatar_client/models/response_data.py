from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ResponseData")


@_attrs_define
class ResponseData:
    """The outcome's payload. The vendor documents three optional members and no field lists; which code carries which
    member is inferred in `x-medux-codes` (`carries`).

        Attributes:
            asset (Asset | Unset): An avatar asset: the one Create Avatar by Image created, or one item of List Avatars. The
                vendor documents no fields; this object stays open.
            paid_plan_required (PaidPlanRequired | Unset): Details of why a paid plan is required. The vendor documents no
                fields; this object stays open.
            task (Task | Unset): The task that performs the clone. The vendor documents no fields; this object stays open.
    """

    asset: Asset | Unset = UNSET
    paid_plan_required: PaidPlanRequired | Unset = UNSET
    task: Task | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        asset: dict[str, Any] | Unset = UNSET
        if not isinstance(self.asset, Unset):
            asset = self.asset.to_dict()

        paid_plan_required: dict[str, Any] | Unset = UNSET
        if not isinstance(self.paid_plan_required, Unset):
            paid_plan_required = self.paid_plan_required.to_dict()

        task: dict[str, Any] | Unset = UNSET
        if not isinstance(self.task, Unset):
            task = self.task.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if asset is not UNSET:
            field_dict["asset"] = asset
        if paid_plan_required is not UNSET:
            field_dict["paid_plan_required"] = paid_plan_required
        if task is not UNSET:
            field_dict["task"] = task

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _asset = d.pop("asset", UNSET)
        asset: Asset | Unset
        if _asset is None or isinstance(_asset, Unset):
            asset = UNSET
        else:
            asset = Asset.from_dict(_asset)

        _paid_plan_required = d.pop("paid_plan_required", UNSET)
        paid_plan_required: PaidPlanRequired | Unset
        if _paid_plan_required is None or isinstance(_paid_plan_required, Unset):
            paid_plan_required = UNSET
        else:
            paid_plan_required = PaidPlanRequired.from_dict(_paid_plan_required)

        _task = d.pop("task", UNSET)
        task: Task | Unset
        if _task is None or isinstance(_task, Unset):
            task = UNSET
        else:
            task = Task.from_dict(_task)

        # Every field is set right here, so attrs' __init__ (defaults, factories) would only be
        # overwritten: skipping it halves the cost of parsing a small model (a listed asset).
        response_data = cls.__new__(cls)
        response_data.asset = asset
        response_data.paid_plan_required = paid_plan_required
        response_data.task = task

        response_data.additional_properties = d
        return response_data

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
from ..models.paid_plan_required import PaidPlanRequired
from ..models.task import Task
