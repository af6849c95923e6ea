import datetime

import pytest
from django.db import transaction

from heyi.platform.services.numbering import number_next


def _take(company, doc_type="sales_order", on=None):
    with transaction.atomic():
        return number_next(company=company, doc_type=doc_type, prefix="SO", on=on)


def test_numbers_count_up_per_company_type_and_year(company, other_company):
    assert _take(company, on=datetime.date(2026, 3, 1)) == "SO-2026-000001"
    assert _take(company, on=datetime.date(2026, 3, 2)) == "SO-2026-000002"
    assert _take(company, on=datetime.date(2027, 1, 1)) == "SO-2027-000001"
    assert _take(company, doc_type="invoice", on=datetime.date(2026, 3, 2)) == "SO-2026-000001"
    assert _take(other_company, on=datetime.date(2026, 3, 2)) == "SO-2026-000001"


def test_a_rolled_back_document_gives_its_number_back(company):
    on = datetime.date(2026, 5, 1)
    assert _take(company, on=on) == "SO-2026-000001"
    with pytest.raises(RuntimeError), transaction.atomic():
        number_next(company=company, doc_type="sales_order", prefix="SO", on=on)
        raise RuntimeError("the order could not be saved")
    assert _take(company, on=on) == "SO-2026-000002"


@pytest.mark.django_db(transaction=True)
def test_numbers_are_taken_inside_a_transaction_only(company):
    with pytest.raises(RuntimeError):
        number_next(company=company, doc_type="sales_order", prefix="SO")
