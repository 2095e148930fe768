import csv
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bodies.access import may
from bodies.history import history_rows, may_see_history

from . import services
from .filters import NeedFilter, SpaceFilter
from .forms import NeedForm, ReportForm, SpaceForm, StatusChangeForm
from .matching import needs_for_space, spaces_for_need
from .models import Space
from .selectors import (
    OWNER_FIELDS,
    map_rows,
    need_for_page,
    space_for_change,
    space_for_page,
    status_history,
    visible_needs,
    visible_spaces,
)

FILTER_PARAMS = ("q", "status", "district", "kind", "owner_kind", "instrument", "contested")


def _space_filter(request) -> SpaceFilter:
    return SpaceFilter(request.GET, queryset=visible_spaces(request.user), request=request)


def _filter_query(request) -> str:
    """The filter part of the query string, to pass on to the map, GeoJSON and CSV."""
    query = request.GET.copy()
    for key in list(query):
        if key not in FILTER_PARAMS:
            del query[key]
    return query.urlencode()


def _links(request) -> dict:
    query = _filter_query(request)
    suffix = f"?{query}" if query else ""
    return {
        "list_url": reverse("spaces:list") + suffix,
        "map_url": reverse("spaces:map") + suffix,
        "geojson_url": reverse("spaces:geojson") + suffix,
        "csv_url": reverse("spaces:csv") + suffix,
        "may_add": may(request.user, "spaces.add_space"),
        "may_report": may(request.user, "spaces.report_vacancy"),
    }


def space_list(request):
    space_filter = _space_filter(request)
    spaces = space_filter.qs.prefetch_related("instruments")
    page = Paginator(spaces, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "spaces/space_list.html",
        {"filter": space_filter, "page": page, **_links(request)},
    )


def space_map(request):
    space_filter = _space_filter(request)
    spaces = list(space_filter.qs)
    return render(
        request,
        "spaces/space_map.html",
        {
            "filter": space_filter,
            "spaces": spaces,
            "without_coordinates": sum(1 for space in spaces if not space.has_coordinates),
            "tile_url": settings.SPACES_TILE_URL,
            "tile_attribution": settings.SPACES_TILE_ATTRIBUTION,
            **_links(request),
        },
    )


def _choice_labels() -> dict[str, dict]:
    """Each choice field's labels, translated once per response.

    ``get_FOO_display`` hashes the field's whole (lazy) choice list on every call;
    for the ~2,000 features of a district that was most of the response's time.
    """
    return {
        name: {value: str(label) for value, label in Space._meta.get_field(name).flatchoices}
        for name in ("kind", "status", "owner_kind")
    }


# A primary key no space has: reversed once, then replaced per feature (reverse()
# per feature was a third of the response's time at district scale).
_PK_PLACEHOLDER = 2_147_483_647


def _detail_url_template() -> str:
    return reverse("spaces:detail", kwargs={"pk": _PK_PLACEHOLDER}).replace(
        str(_PK_PLACEHOLDER), "{pk}"
    )


def _feature(row: dict, labels: dict[str, dict], url_template: str) -> dict:
    properties = {
        "id": row["pk"],
        "name": row["name"],
        "address": row["address"],
        "postcode": row["postcode"],
        "district": row["district__name"],
        "kind": row["kind"],
        "kind_label": labels["kind"].get(row["kind"], row["kind"]),
        "status": row["status"],
        "status_label": labels["status"].get(row["status"], row["status"]),
        "size_m2": row["size_m2"],
        "contested": row["contested"],
        "url": url_template.format(pk=row["pk"]),
    }
    if row["owner_visible"]:
        properties["owner_kind"] = row["owner_kind"]
        properties["owner_kind_label"] = labels["owner_kind"].get(
            row["owner_kind"], row["owner_kind"]
        )
        properties["owner"] = row["owner_organisation__name"]
    return {
        "type": "Feature",
        "id": row["pk"],
        "geometry": {
            "type": "Point",
            # GeoJSON orders coordinates longitude first (RFC 7946).
            "coordinates": [float(row["longitude"]), float(row["latitude"])],
        },
        "properties": properties,
    }


def space_geojson(request):
    """The filtered, visible spaces with coordinates as a GeoJSON FeatureCollection."""
    labels, url_template = _choice_labels(), _detail_url_template()
    collection = {
        "type": "FeatureCollection",
        "features": [
            _feature(row, labels, url_template) for row in map_rows(_space_filter(request).qs)
        ],
    }
    response = HttpResponse(
        json.dumps(collection, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")),
        content_type="application/geo+json; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    return response


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell value that spreadsheet programs will not run as a formula."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def space_csv(request):
    """The filtered, visible spaces as CSV; owner columns only where the reader may see them."""
    spaces = _space_filter(request).qs.prefetch_related("instruments")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"raeume-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # lets spreadsheet programs detect UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("ID"),
            _("Name"),
            _("Address"),
            _("Postcode"),
            _("Neighbourhood"),
            _("Latitude"),
            _("Longitude"),
            _("Kind of space"),
            _("Size (m²)"),
            _("Monthly rent (EUR)"),
            _("Status"),
            _("Vacant since"),
            _("Current user"),
            _("Instruments"),
            _("Contested"),
            _("Why it is contested"),
            _("Owner"),
            _("Kind of owner"),
            _("Notes on the owner"),
            _("Link"),
        ]
    )
    yes, no = _("yes"), _("no")
    for space in spaces:
        visible = space.owner_visible
        writer.writerow(
            [
                space.pk,
                csv_safe(space.name),
                csv_safe(space.address),
                csv_safe(space.postcode),
                csv_safe(space.district.name),
                space.latitude if space.latitude is not None else "",
                space.longitude if space.longitude is not None else "",
                space.get_kind_display(),
                space.size_m2 if space.size_m2 is not None else "",
                space.monthly_rent if space.monthly_rent is not None else "",
                space.get_status_display(),
                space.vacant_since.isoformat() if space.vacant_since else "",
                csv_safe(space.current_user_organisation),
                csv_safe(", ".join(i.name for i in space.instruments.all())),
                yes if space.contested else no,
                csv_safe(space.contested_reason),
                csv_safe(space.owner_organisation) if visible else "",
                space.get_owner_kind_display() if visible else "",
                csv_safe(space.owner_notes) if visible else "",
                request.build_absolute_uri(space.get_absolute_url()),
            ]
        )
    return response


def space_detail(request, pk):
    space = space_for_page(request.user, pk)
    can_change = request.user.has_perm("spaces.change_space", space)
    status_form = None
    if can_change and space.next_statuses:
        status_form = StatusChangeForm(space=space, user=request.user)
    return render(
        request,
        "spaces/space_detail.html",
        _detail_context(request, space, can_change=can_change, status_form=status_form),
    )


def _detail_context(request, space, *, can_change, status_form):
    return {
        "space": space,
        "history": status_history(space, request.user),
        "can_change": can_change,
        "status_form": status_form,
        "matches": needs_for_space(space, request.user, limit=5),
        "body_visible": space.body_id is not None
        and request.user.has_perm("bodies.view_body", space.body),
        "change_history": _change_history(request.user, space),
    }


def _change_history(user, space):
    """The audit trail for staff; owner fields stay out of it where the owner details
    are hidden from the reader, since even "owner changed" tells something."""
    if not may_see_history(user):
        return None
    return history_rows(space, hidden_fields=() if space.owner_visible else OWNER_FIELDS)


@login_required
@require_POST
def space_change_status(request, pk):
    space = space_for_page(request.user, pk)
    if not request.user.has_perm("spaces.change_space", space):
        raise PermissionDenied
    form = StatusChangeForm(request.POST, space=space, user=request.user)
    if form.is_valid():
        try:
            services.change_status(
                space=space,
                to=form.cleaned_data["to"],
                user=request.user,
                note=form.cleaned_data["note"],
                decision=form.cleaned_data["decision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The status is now “%(status)s”.") % {"status": space.get_status_display()},
            )
            return redirect(space)
    context = _detail_context(request, space, can_change=True, status_form=form)
    return render(request, "spaces/space_detail.html", context, status=400)


@login_required
def space_create(request):
    if not may(request.user, "spaces.add_space"):
        raise PermissionDenied
    form = SpaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        space = form.save(commit=False)
        services.create_space(
            space=space, user=request.user, instruments=form.cleaned_data["instruments"]
        )
        messages.success(request, _("The space has been recorded as reported."))
        return redirect(space)
    return render(
        request,
        "spaces/space_form.html",
        {"form": form, "title": _("Record a space"), "owner_editable": True},
    )


@login_required
def space_edit(request, pk):
    space = space_for_change(request.user, pk)
    if not request.user.has_perm("spaces.change_space", space):
        raise PermissionDenied
    owner_editable = space.owner_visible
    form = SpaceForm(
        request.POST or None, instance=space, user=request.user, owner_editable=owner_editable
    )
    if request.method == "POST" and form.is_valid():
        # Write only what the form showed: never the status (it moves through the
        # lifecycle service) nor owner details the editor could not see.
        space = form.save(commit=False)
        concrete = {field.name for field in Space._meta.concrete_fields}
        space.save(
            update_fields=[*(name for name in form.fields if name in concrete), "updated_at"]
        )
        form.save_m2m()
        messages.success(request, _("The space has been saved."))
        return redirect(space)
    return render(
        request,
        "spaces/space_form.html",
        {
            "form": form,
            "space": space,
            "title": _("Edit “%(name)s”") % {"name": space.name},
            "owner_editable": owner_editable,
        },
    )


@login_required
def space_report(request):
    if not may(request.user, "spaces.report_vacancy"):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        space = services.report_vacancy(space=form.save(commit=False), user=request.user)
        messages.success(
            request,
            _(
                "Thank you! Your report has been saved. The AKS team will check it; "
                "until then only the team and you can see it."
            ),
        )
        return redirect(space)
    return render(
        request,
        "spaces/report_form.html",
        {
            "form": form,
            "tile_url": settings.SPACES_TILE_URL,
            "tile_attribution": settings.SPACES_TILE_ATTRIBUTION,
        },
    )


def need_list(request):
    need_filter = NeedFilter(request.GET, queryset=visible_needs(request.user), request=request)
    page = Paginator(need_filter.qs, settings.AKS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "spaces/need_list.html",
        {"filter": need_filter, "page": page, "may_add": may(request.user, "spaces.add_spaceneed")},
    )


def need_detail(request, pk):
    need = need_for_page(request.user, pk)
    return render(
        request,
        "spaces/need_detail.html",
        {
            "need": need,
            "matches": spaces_for_need(need, request.user),
            "can_change": request.user.has_perm("spaces.change_spaceneed", need),
        },
    )


@login_required
def need_create(request):
    if not may(request.user, "spaces.add_spaceneed"):
        raise PermissionDenied
    form = NeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        need = form.save()
        messages.success(request, _("The space need has been saved."))
        return redirect(need)
    return render(request, "spaces/need_form.html", {"form": form, "title": _("New space need")})


@login_required
def need_edit(request, pk):
    need = need_for_page(request.user, pk)
    if not request.user.has_perm("spaces.change_spaceneed", need):
        raise PermissionDenied
    form = NeedForm(request.POST or None, instance=need, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The space need has been saved."))
        return redirect(need)
    return render(
        request,
        "spaces/need_form.html",
        {"form": form, "need": need, "title": _("Edit “%(name)s”") % {"name": need.title}},
    )
