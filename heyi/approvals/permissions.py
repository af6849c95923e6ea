"""Everyone may ask for approval and decide what is theirs to decide; administrators of the
engine design templates and see every request."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import BUILTIN_ROLES, grant_to_roles

SUBMIT = "approvals.submit"
MANAGE_TEMPLATES = "approvals.manage_templates"
VIEW_ALL = "approvals.view_all"

register_permissions(
    {
        SUBMIT: _("Submit requests for approval and decide the tasks assigned to one"),
        MANAGE_TEMPLATES: _("Design approval templates (forms and flows)"),
        VIEW_ALL: _("See every approval request of the company and its figures"),
    }
)
grant_to_roles({role.code: [SUBMIT] for role in BUILTIN_ROLES})
grant_to_roles({"hr": [MANAGE_TEMPLATES, VIEW_ALL]})
