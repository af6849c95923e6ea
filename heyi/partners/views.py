"""Web pages for customers, suppliers, their contacts and addresses, and tags."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from heyi.platform import access as platform_access
from heyi.platform.errors import NotPermitted
from heyi.platform.models import Role, User
from heyi.platform.webkit import Column, Filter, ListSpec, company_view, detail_page, form_page, list_page

from . import access
from .access import CUSTOMER, MANAGE, SUPPLIER
from .forms import AddressForm, ContactForm, PartnerForm, TagForm
from .models import Partner, Tag
from .permissions import MANAGE_CUSTOMERS, MANAGE_SUPPLIERS, VIEW_CUSTOMERS, VIEW_SUPPLIERS
from .selectors import partner_search
from .services import contacts as contact_services
from .services import partners as partner_services
from .services import tags as tag_services

LIST_URL = {CUSTOMER: "partners:customer_list", SUPPLIER: "partners:supplier_list"}
CREATE_URL = {CUSTOMER: "partners:customer_create", SUPPLIER: "partners:supplier_create"}


def _detail_url(partner: Partner) -> str:
    return reverse("partners:partner_detail", args=[partner.pk])


def _can_assign(request: HttpRequest, kinds: list[str]) -> bool:
    g = platform_access.grants(request.user, request.company)
    return any(g.scope_for(MANAGE[k]) == Role.Scope.COMPANY for k in kinds)


def _import_url(request: HttpRequest, kind: str) -> str | None:
    """The platform's import page for this kind, for those who may create such partners."""
    if not platform_access.has_perm(request.user, request.company, MANAGE[kind]):
        return None
    try:
        return reverse("web:import_start", args=[f"partners.{kind}"])
    except NoReverseMatch:
        return None


def _tag_names(partner: Partner) -> str:
    return ", ".join(t.name for t in partner.tags.all())


def _partner_list(request: HttpRequest, kind: str) -> HttpResponse:
    c = request.company
    qs = access.partners_visible(user=request.user, company=c, kind=kind)
    # The partner search (pinyin initials, phone however typed) stands in for the list's plain one.
    qs = partner_search(qs, request.GET.get("q", "")).select_related("owner").prefetch_related("tags")
    owners = User.objects.filter(pk__in=qs.values("owner_id")).order_by("username")
    spec = ListSpec(
        title=_("Customers") if kind == CUSTOMER else _("Suppliers"),
        columns=[
            Column("code", _("Code"), link=True),
            Column("name", _("Name"), link=True),
            Column("phone", _("Phone")),
            Column("city", _("City")),
            Column("credit_limit", _("Credit limit"), numeric=True),
            Column("payment_terms_days", _("Payment terms (days)"), numeric=True),
            Column("tags", _("Tags"), value=_tag_names),
            Column("owner", _("Owner"), value=lambda p: str(p.owner) if p.owner_id else ""),
            Column("is_active", _("Active")),
        ],
        ordering_fields=("name", "code", "created_at", "credit_limit", "city"),
        default_ordering="name",
        filters=[
            Filter(
                "tag", _("Tag"), [(str(t.pk), t.name) for t in Tag.objects.filter(company=c)], lookup="tags"
            ),
            Filter("active", _("Status"), [("1", _("Active")), ("0", _("Inactive"))], lookup="is_active"),
            Filter("owner", _("Owner"), [(str(u.pk), str(u)) for u in owners], lookup="owner"),
        ],
        create_url=(
            reverse(CREATE_URL[kind]) if platform_access.has_perm(request.user, c, MANAGE[kind]) else None
        ),
        import_url=_import_url(request, kind),
        export_name="customers" if kind == CUSTOMER else "suppliers",
        row_url=_detail_url,
    )
    return list_page(request, qs, spec)


@company_view(perm=VIEW_CUSTOMERS)
def customer_list(request: HttpRequest) -> HttpResponse:
    return _partner_list(request, CUSTOMER)


@company_view(perm=VIEW_SUPPLIERS)
def supplier_list(request: HttpRequest) -> HttpResponse:
    return _partner_list(request, SUPPLIER)


def _partner_create(request: HttpRequest, kind: str) -> HttpResponse:
    form = PartnerForm(
        request.POST or None,
        company=request.company,
        can_assign=_can_assign(request, [kind]),
        initial={access.KIND_FIELD[kind]: True},
    )
    return form_page(
        request,
        form=form,
        title=_("New customer") if kind == CUSTOMER else _("New supplier"),
        on_valid=lambda data: partner_services.partner_create(
            actor=request.user, company=request.company, **form.service_data()
        ),
        success_url=_detail_url,
        back_url=reverse(LIST_URL[kind]),
    )


@company_view(perm=MANAGE_CUSTOMERS)
def customer_create(request: HttpRequest) -> HttpResponse:
    return _partner_create(request, CUSTOMER)


@company_view(perm=MANAGE_SUPPLIERS)
def supplier_create(request: HttpRequest) -> HttpResponse:
    return _partner_create(request, SUPPLIER)


def _manageable(request: HttpRequest, partner: Partner) -> bool:
    return (
        access.partners_manageable(user=request.user, company=request.company).filter(pk=partner.pk).exists()
    )


@company_view()
def partner_detail(request: HttpRequest, pk) -> HttpResponse:
    partner = access.access_partner(user=request.user, company=request.company, id=pk)
    can_manage = _manageable(request, partner)
    kinds = [
        str(label)
        for flag, label in ((partner.is_customer, _("Customer")), (partner.is_supplier, _("Supplier")))
        if flag
    ]
    fields = [
        (_("Code"), partner.code),
        (_("Name"), partner.name),
        (_("Short name"), partner.short_name),
        (_("Kind"), " · ".join(kinds)),
        (_("Unified social credit code"), partner.tax_number),
        (_("Credit limit"), f"{partner.credit_limit:,.2f} {partner.currency}"),
        (_("Payment terms (days)"), partner.payment_terms_days),
        (_("Phone"), partner.phone),
        (_("E-mail"), partner.email),
        (_("Website"), partner.website),
        (_("Location"), " ".join(x for x in (partner.province, partner.city) if x)),
        (_("Sales region"), partner.region),
        (_("Bank"), partner.bank_name),
        (_("Bank account"), partner.bank_account),
        (_("Tags"), _tag_names(partner)),
        (_("Owner"), str(partner.owner) if partner.owner_id else ""),
        (_("Active"), partner.is_active),
        (_("Notes"), partner.notes),
    ]
    actions = []
    if can_manage and partner.is_active:
        actions.append(
            {
                "label": _("Deactivate"),
                "url": reverse("partners:partner_deactivate", args=[partner.pk]),
                "method": "post",
                "css": "is-danger is-light",
            }
        )
    sections = [
        {
            "title": _("Contacts"),
            "template": "partners/_contacts.html",
            "items": partner.contacts.all(),
            "can_manage": can_manage,
            "add_url": reverse("partners:contact_create", args=[partner.pk]),
        },
        {
            "title": _("Addresses"),
            "template": "partners/_addresses.html",
            "items": partner.addresses.all(),
            "can_manage": can_manage,
            "add_url": reverse("partners:address_create", args=[partner.pk]),
        },
    ]
    return detail_page(
        request,
        obj=partner,
        title=partner.name,
        fields=fields,
        actions=actions,
        edit_url=reverse("partners:partner_edit", args=[partner.pk]) if can_manage else None,
        back_url=reverse(LIST_URL[CUSTOMER if partner.is_customer else SUPPLIER]),
        sections=sections,
    )


def _partner_for_change(request: HttpRequest, pk) -> Partner:
    partner = access.access_partner(user=request.user, company=request.company, id=pk)
    access.require_partner_manage(request.user, request.company, partner)
    return partner


@company_view()
def partner_edit(request: HttpRequest, pk) -> HttpResponse:
    partner = _partner_for_change(request, pk)
    form = PartnerForm(
        request.POST or None,
        instance=partner,
        company=request.company,
        can_assign=_can_assign(request, partner.kinds),
    )

    def save(cleaned: dict) -> Partner:
        data = form.service_data()
        version = data.pop("version")
        return partner_services.partner_update(
            actor=request.user, company=request.company, partner=partner, data=data, version=version
        )

    return form_page(
        request,
        form=form,
        title=_("Edit %(name)s") % {"name": partner.name},
        on_valid=save,
        success_url=_detail_url,
        back_url=_detail_url(partner),
    )


@require_POST
@company_view()
def partner_deactivate(request: HttpRequest, pk) -> HttpResponse:
    partner = access.access_partner(user=request.user, company=request.company, id=pk)
    partner_services.partner_deactivate(actor=request.user, company=request.company, partner=partner)
    messages.success(request, _("The partner is deactivated."))
    return redirect(_detail_url(partner))


def _done(request: HttpRequest, url: str) -> HttpResponse:
    """After a delete: htmx follows the HX-Redirect header, a plain form the redirect."""
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


@dataclass(frozen=True)
class _PartOfPartner:
    """What differs between a partner's contacts and its addresses on the web; the views are one."""

    form: type
    param: str
    access_one: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    new_title: Callable[[Partner], str]
    edit_title: Callable[[Any], str]
    deleted: Callable[[], str]


def _part_views(part: _PartOfPartner) -> tuple[Callable, Callable, Callable]:
    @company_view()
    def create(request: HttpRequest, pk) -> HttpResponse:
        partner = _partner_for_change(request, pk)
        return form_page(
            request,
            form=part.form(request.POST or None),
            title=part.new_title(partner),
            on_valid=lambda data: part.create(
                actor=request.user, company=request.company, partner=partner, **data
            ),
            success_url=lambda _obj: _detail_url(partner),
            back_url=_detail_url(partner),
        )

    @company_view()
    def edit(request: HttpRequest, pk) -> HttpResponse:
        obj = part.access_one(user=request.user, company=request.company, id=pk)
        access.require_partner_manage(request.user, request.company, obj.partner)
        form = part.form(request.POST or None, instance=obj)

        def save(cleaned: dict):
            data = form.service_data()
            version = data.pop("version")
            return part.update(
                actor=request.user, company=request.company, data=data, version=version, **{part.param: obj}
            )

        return form_page(
            request,
            form=form,
            title=part.edit_title(obj),
            on_valid=save,
            success_url=lambda saved: _detail_url(saved.partner),
            back_url=_detail_url(obj.partner),
        )

    @require_POST
    @company_view()
    def delete(request: HttpRequest, pk) -> HttpResponse:
        obj = part.access_one(user=request.user, company=request.company, id=pk)
        partner = obj.partner
        part.delete(actor=request.user, company=request.company, **{part.param: obj})
        messages.success(request, part.deleted())
        return _done(request, _detail_url(partner))

    return create, edit, delete


contact_create, contact_edit, contact_delete = _part_views(
    _PartOfPartner(
        form=ContactForm,
        param="contact",
        access_one=access.access_contact,
        create=contact_services.contact_create,
        update=contact_services.contact_update,
        delete=contact_services.contact_delete,
        new_title=lambda partner: _("New contact at %(name)s") % {"name": partner.name},
        edit_title=lambda contact: _("Edit contact %(name)s") % {"name": contact.name},
        deleted=lambda: _("The contact is deleted."),
    )
)
address_create, address_edit, address_delete = _part_views(
    _PartOfPartner(
        form=AddressForm,
        param="address",
        access_one=access.access_address,
        create=contact_services.address_create,
        update=contact_services.address_update,
        delete=contact_services.address_delete,
        new_title=lambda partner: _("New address of %(name)s") % {"name": partner.name},
        edit_title=lambda _address: _("Edit address"),
        deleted=lambda: _("The address is deleted."),
    )
)


def _require_tags_view(request: HttpRequest) -> None:
    if not access.can_view_partners(request.user, request.company):
        raise NotPermitted(permission=f"{VIEW_CUSTOMERS} / {VIEW_SUPPLIERS}")


def _require_tags_manage(request: HttpRequest) -> None:
    if not access.can_manage_partners(request.user, request.company):
        raise NotPermitted(permission=f"{MANAGE_CUSTOMERS} / {MANAGE_SUPPLIERS}")


@company_view()
def tag_list(request: HttpRequest) -> HttpResponse:
    _require_tags_view(request)
    can_manage = access.can_manage_partners(request.user, request.company)
    spec = ListSpec(
        title=_("Partner tags"),
        columns=[
            Column("name", _("Name"), link=can_manage),
            Column("colour", _("Colour"), value=lambda t: t.get_colour_display()),
        ],
        search_fields=("name",),
        ordering_fields=("name", "created_at"),
        default_ordering="name",
        create_url=reverse("partners:tag_create") if can_manage else None,
        export_name="partner-tags",
        row_url=(lambda t: reverse("partners:tag_edit", args=[t.pk])) if can_manage else None,
    )
    return list_page(request, access.tags_visible(user=request.user, company=request.company), spec)


@company_view()
def tag_create(request: HttpRequest) -> HttpResponse:
    _require_tags_manage(request)
    form = TagForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("New tag"),
        on_valid=lambda data: tag_services.tag_create(actor=request.user, company=request.company, **data),
        success_url=lambda tag: reverse("partners:tag_list"),
        back_url=reverse("partners:tag_list"),
    )


@company_view()
def tag_edit(request: HttpRequest, pk) -> HttpResponse:
    tag = access.access_tag(user=request.user, company=request.company, id=pk)
    _require_tags_manage(request)
    form = TagForm(request.POST or None, instance=tag)

    def save(cleaned: dict):
        data = form.service_data()
        version = data.pop("version")
        return tag_services.tag_update(
            actor=request.user, company=request.company, tag=tag, data=data, version=version
        )

    return form_page(
        request,
        form=form,
        title=_("Edit tag %(name)s") % {"name": tag.name},
        on_valid=save,
        success_url=lambda t: reverse("partners:tag_list"),
        back_url=reverse("partners:tag_list"),
        template="partners/tag_form.html",
    )


@require_POST
@company_view()
def tag_delete(request: HttpRequest, pk) -> HttpResponse:
    tag = access.access_tag(user=request.user, company=request.company, id=pk)
    tag_services.tag_delete(actor=request.user, company=request.company, tag=tag)
    messages.success(request, _("The tag is deleted."))
    return _done(request, reverse("partners:tag_list"))
