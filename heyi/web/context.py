from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from heyi.platform import access
from heyi.platform.models import Notification
from heyi.platform.navigation import SECTIONS, nav_items
from heyi.platform.selectors import user_companies


def shell(request: HttpRequest) -> dict:
    """What the layout needs: the navigation this user may see, companies, unread count."""
    user = getattr(request, "user", None)
    company = getattr(request, "company", None)
    if user is None or not user.is_authenticated or company is None:
        return {}
    sections: dict[str, dict] = {}
    for item in nav_items():
        if not access.module_enabled(company, item.module):
            continue
        if item.permission and not access.has_perm(user, company, item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        section = sections.setdefault(item.section, {"label": SECTIONS[item.section], "items": []})
        section["items"].append({"label": item.label, "url": url, "active": request.path.startswith(url)})
    return {
        "nav_sections": list(sections.values()),
        "companies": user_companies(user),
        "active_company": company,
        "unread_count": Notification.objects.filter(
            company=company, recipient=user, read_at__isnull=True
        ).count(),
    }
