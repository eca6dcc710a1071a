"""Contains all the data models used in inputs/outputs"""

from .asset import Asset
from .create_avatar_by_image_request import CreateAvatarByImageRequest
from .create_avatar_by_image_response import CreateAvatarByImageResponse
from .paid_plan_required import PaidPlanRequired
from .response_code import ResponseCode
from .response_data import ResponseData
from .response_message import ResponseMessage
from .task import Task

__all__ = (
    "Asset",
    "CreateAvatarByImageRequest",
    "CreateAvatarByImageResponse",
    "PaidPlanRequired",
    "ResponseCode",
    "ResponseData",
    "ResponseMessage",
    "Task",
)
