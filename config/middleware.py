"""Language choice: Japanese for everyone unless the user picked another language in the header."""


class SiteLanguageFirstMiddleware:
    """Drop the browser's Accept-Language so ``LocaleMiddleware`` falls back to ``LANGUAGE_CODE`` (ja).

    Staff machines often run English browsers; the back-office still speaks Japanese to them
    until they switch (the switch sets the language cookie, which ``LocaleMiddleware`` honours).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
