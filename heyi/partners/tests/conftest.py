"""Partner test personas on top of the shared ones: a buyer, an accountant, and a customer each."""

import pytest

from conftest import make_member
from heyi.partners.services.partners import partner_create
from heyi.partners.services.tags import tag_create
from heyi.partners.validators import credit_code_check_char


def credit_code(first17: str = "91330106MA2H0X7K2") -> str:
    return first17 + credit_code_check_char(first17)


@pytest.fixture
def purchasing(company):
    return make_member(company, "purchasing", roles=["purchasing"])


@pytest.fixture
def finance(company):
    return make_member(company, "finance", roles=["finance"])


@pytest.fixture
def new_customer(company):
    """A customer created by (and owned by) the given user."""

    def make(user, name="杭州星辰科技有限公司", **fields):
        return partner_create(actor=user, company=company, name=name, is_customer=True, **fields)

    return make


@pytest.fixture
def vip(company, admin):
    return tag_create(actor=admin, company=company, name="VIP", colour="red")
