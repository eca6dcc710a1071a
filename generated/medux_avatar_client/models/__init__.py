"""Contains all the data models used in inputs/outputs"""

from .asset import Asset
from .avatar_page import AvatarPage
from .create_avatar_by_image_request import CreateAvatarByImageRequest
from .create_avatar_by_image_response import CreateAvatarByImageResponse
from .list_avatars_response import ListAvatarsResponse
from .paid_plan_required import PaidPlanRequired
from .response_code import ResponseCode
from .response_data import ResponseData
from .response_message import ResponseMessage
from .task import Task

__all__ = (
    "Asset",
    "AvatarPage",
    "CreateAvatarByImageRequest",
    "CreateAvatarByImageResponse",
    "ListAvatarsResponse",
    "PaidPlanRequired",
    "ResponseCode",
    "ResponseData",
    "ResponseMessage",
    "Task",
)
