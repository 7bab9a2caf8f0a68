"""Per-token rate limits: a token makes at most its ``requests_per_minute`` requests in any minute; more are
answered 429 with ``Retry-After``. Counted in the cache (``CACHES``: Redis when configured, shared by every node)."""

from rest_framework.throttling import SimpleRateThrottle


class PerToken(SimpleRateThrottle):
    scope = "token"

    def allow_request(self, request, view):
        token = request.auth
        if token is None:
            return True
        self.rate = f"{token.requests_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        return None  # set per token in allow_request

    def get_cache_key(self, request, view):
        return f"api-throttle:{request.auth.prefix}"  # never reused, where a rolled-back row's id is
