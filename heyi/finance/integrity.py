"""The hash of a posted voucher: its content and the hash of the voucher posted before it.

Changing any posted amount, account, date or number behind the application's back breaks
the chain from that voucher on, which `check_books` reports.
"""

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from .models import Voucher, VoucherLine


def voucher_hash(voucher: Voucher | Any, lines: Iterable[VoucherLine | Any], previous_hash: str) -> str:
    """`voucher` and `lines` may be model objects or plain rows with the same attribute names."""
    content = {
        "company": str(voucher.company_id),
        "chain": voucher.chain_sequence,
        "previous": previous_hash,
        "number": voucher.number,
        "date": voucher.date.isoformat(),
        "source": [voucher.source_type, voucher.source_id],
        "reverses": str(voucher.reverses_id or ""),
        "lines": [
            [
                str(line.account_id),
                f"{line.debit:.2f}",
                f"{line.credit:.2f}",
                str(line.partner_id or ""),
                str(line.product_id or ""),
                str(line.department_id or ""),
                str(line.employee_id or ""),
                line.project,
            ]
            for line in sorted(lines, key=lambda ln: ln.position)
        ],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
