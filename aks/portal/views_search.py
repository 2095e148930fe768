"""The search page: parse the form, run the search, paginate."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from .search import CANDIDATES, TYPES, SearchForm
from .search import search as run_search


def search(request):
    form = SearchForm(request.GET or None, user=request.user)
    params = form.params() if request.GET else None
    context = {"form": form, "params": params, "types": TYPES}
    if params is not None:
        results = run_search(user=request.user, params=params)
        context["page"] = Paginator(results, settings.AKS_PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        context["facets"] = [
            (search_type, results.counts[search_type.key])
            for search_type in TYPES
            if results.counts[search_type.key]
        ]
        context["capped"] = results.capped
        context["candidates"] = CANDIDATES
    return render(request, "portal/search.html", context)
