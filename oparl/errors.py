"""OParl error objects (specification 2.9) and the headers of every JSON answer."""

import json

from django.http import HttpResponse

ERROR_TYPE = "https://schema.oparl.org/1.1/Error"


class OParlError(Exception):
    def __init__(self, status: int, message: str, debug: str = ""):
        super().__init__(message)
        self.status = status
        self.message = message
        self.debug = debug


def json_response(data, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    # OParl 2.6: every JSON answer may be read by scripts from any origin.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error_response(error: OParlError) -> HttpResponse:
    data = {"type": ERROR_TYPE, "message": error.message, "debug": error.debug}
    return json_response(data, status=error.status)
