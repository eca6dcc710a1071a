from enum import IntEnum


class ResponseCode(IntEnum):
    OK = 0
    INVALID_INPUT = 12
    INVALID_MODEL = 1410
    PAID_PLAN_REQUIRED = 1409
    INSUFFICIENT_CREDITS = 1401
    ASSET_LIMIT_REACHED = 1406
    ASSET_CATEGORY_MISMATCH = 1402
    PROVIDER_ERROR = 1404
    PROVIDER_TIMEOUT = 1405
    UNAUTHENTICATED = 13
    RATE_LIMITED = 16
    SERVER_ERROR = 99

    def __str__(self) -> str:
        return str(self.value)
