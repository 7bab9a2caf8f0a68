"""What the OpenAPI file says beyond the views: the bearer tokens, and the problem details every operation
may answer (``api.problems``), so that a client and a schema checker know every answer's shape."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "Stable: clients switch on it."},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "pointer": {"type": "string", "description": "JSON pointer into the request body."},
                    "detail": {"type": "string"},
                    "code": {"type": "string"},
                },
                "required": ["pointer", "detail", "code"],
            },
        },
    },
    "required": ["type", "title", "status", "code"],
}

#: The refusals any operation may answer, and those only a write may.
ANY = {
    "400": "The request is not valid (a filter, a cursor, a field).",
    "401": "No token, or a token that is not valid, expired, revoked, or used from an address it may not.",
    "403": "The token's user may not do this, or the token is read-only.",
    "404": "No such row, or not one the user may see.",
    "406": "Not a representation the API gives.",
    "429": "Over the token's rate limit: try again after Retry-After seconds.",
}
WRITES = {
    "412": "The row changed since the ETag in If-Match was read.",
    "413": "The request body is too large.",
    "415": "Not a media type the operation takes.",
    "422": "The terms or the row's state refuse it (the detail names the article), a row the body names does not "
    "exist, or the Idempotency-Key was used for another request.",
    "428": "If-Match is missing.",
}


class BearerToken(OpenApiAuthenticationExtension):
    target_class = "api.authentication.TokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A token created in the admin (API tokens)."}


def add_problems(result, generator, request, public):
    """SPECTACULAR postprocessing hook: every operation documents the problems it may answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    reference = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            refusals = ANY if method == "get" else {**ANY, **WRITES}
            for status, description in refusals.items():
                operation["responses"].setdefault(status, {"description": description, "content": reference})
    return result


#: A text holding NUL is refused (400) by Django's and DRF's text fields, as no database column stores it.
WITHOUT_NUL = r"^[^\x00]*$"


def texts_without_nul(result, generator, request, public):
    """SPECTACULAR postprocessing hook: every free text the API takes (a query parameter, a request body's
    field) says it holds no NUL, so that a client knows why such a text is refused."""

    def mark(schema):
        if not isinstance(schema, dict) or schema.get("readOnly"):
            return
        kinds = schema.get("type")
        text = "string" in (kinds if isinstance(kinds, list) else [kinds])
        if text and not {"enum", "format", "pattern"} & set(schema):
            schema["pattern"] = WITHOUT_NUL
        for nested in [*schema.get("properties", {}).values(), schema.get("items"), schema.get("additionalProperties")]:
            mark(nested)
        for nested in schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", []):
            mark(nested)

    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request"):
            mark(schema)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    mark(parameter.get("schema"))
    return result
