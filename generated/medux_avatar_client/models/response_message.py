from enum import StrEnum


class ResponseMessage(StrEnum):
    ASSET_CATEGORY_MISMATCH = "asset category mismatch"
    ASSET_LIMIT_REACHED = "asset limit reached"
    INSUFFICIENT_CREDITS = "insufficient credits"
    INVALID_INPUT = "invalid input"
    INVALID_MODEL = "invalid model"
    OK = "ok"
    PAID_PLAN_REQUIRED = "paid plan required"
    PROVIDER_ERROR = "provider error"
    PROVIDER_TIMEOUT = "provider timeout"
    RATE_LIMITED = "rate limit"
    SERVER_ERROR = "server error"
    UNAUTHENTICATED = "unauthenticated"

    def __str__(self) -> str:
        return str(self.value)
