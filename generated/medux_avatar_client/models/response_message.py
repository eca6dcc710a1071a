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

    @property
    def is_known(self) -> bool:
        """False for a value the spec behind this client does not list (kept as sent, named UNKNOWN)."""
        return type(self).__members__.get(self._name_) is self

    @classmethod
    def _missing_(cls, value: object) -> "ResponseMessage | None":
        # A value newer than this client must parse, not raise: keep it as an unlisted member.
        if isinstance(value, str):
            member = str.__new__(cls, value)
            member._name_ = "UNKNOWN"
            member._value_ = value
            return member
        return None
