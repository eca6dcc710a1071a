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

    @property
    def is_known(self) -> bool:
        """False for a value the spec behind this client does not list (kept as sent, named UNKNOWN)."""
        return type(self).__members__.get(self._name_) is self

    @classmethod
    def _missing_(cls, value: object) -> "ResponseCode | None":
        # A value newer than this client must parse, not raise: keep it as an unlisted member.
        # bool is an int subclass but never a code; other types still fail (a malformed response).
        if isinstance(value, int) and not isinstance(value, bool):
            member = int.__new__(cls, value)
            member._name_ = "UNKNOWN"
            member._value_ = value
            return member
        return None
