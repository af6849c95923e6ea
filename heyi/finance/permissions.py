"""Who keeps the books: finance prepares, posts and closes; everyone may claim expenses;
salespeople and purchasing see the invoices and bills of their documents."""

from django.utils.translation import gettext_lazy as _

from heyi.platform.permissions import register_permissions
from heyi.platform.roles import grant_to_roles

VIEW = "finance.view"
MANAGE_VOUCHER = "finance.manage_voucher"
POST_VOUCHER = "finance.post_voucher"
MANAGE_INVOICE = "finance.manage_invoice"
MANAGE_PAYMENT = "finance.manage_payment"
CLOSE_PERIOD = "finance.close_period"
MANAGE_SETTINGS = "finance.manage_settings"
CLAIM_EXPENSE = "finance.claim_expense"

register_permissions(
    {
        VIEW: _("See the ledger, invoices, bills, payments and financial reports"),
        MANAGE_VOUCHER: _("Prepare vouchers"),
        POST_VOUCHER: _("Post and reverse vouchers"),
        MANAGE_INVOICE: _("Create and post invoices, bills and credit notes"),
        MANAGE_PAYMENT: _("Record, post and allocate receipts and payments; pay expense claims"),
        CLOSE_PERIOD: _("Close and reopen periods and fiscal years"),
        MANAGE_SETTINGS: _("Change the chart of accounts and the finance settings"),
        CLAIM_EXPENSE: _("Submit expense claims"),
    }
)
grant_to_roles(
    {
        "finance": [
            VIEW,
            MANAGE_VOUCHER,
            POST_VOUCHER,
            MANAGE_INVOICE,
            MANAGE_PAYMENT,
            CLOSE_PERIOD,
            MANAGE_SETTINGS,
            CLAIM_EXPENSE,
        ],
        "sales": [CLAIM_EXPENSE],
        "sales_manager": [CLAIM_EXPENSE],
        "purchasing": [CLAIM_EXPENSE],
        "warehouse": [CLAIM_EXPENSE],
        "employee": [CLAIM_EXPENSE],
    }
)
