"""The receipts a simulated day prints: every field DOMAIN.md requires, read back from the
printer simulator's decoded output and checked against the stored payment."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from kiosk.catalog_file import load_catalog
from kiosk.config import demo_config
from kiosk.domain.clock import KZ_TIME
from kiosk.domain.money import Language, Money
from kiosk.sim.simulate import run_simulation
from kiosk.store.db import Store

STATUS = {
    "kk": "Қабылданды, есепке алынуда",
    "ru": "Принят, зачисляется",
    "en": "Accepted, being credited",
}
TITLE = {"kk": "ТӨЛЕМ ТҮБІРТЕГІ", "ru": "КВИТАНЦИЯ ОБ ОПЛАТЕ", "en": "PAYMENT RECEIPT"}


def test_every_printed_receipt_of_a_day_carries_the_required_fields(tmp_path: Path) -> None:
    out = tmp_path / "receipts"
    report = run_simulation(30, 12, tmp_path, receipts_dir=out)
    assert report["ok"] and report["receipts_printed"] == report["payments"] > 10
    printed = [path.read_text(encoding="utf-8") for path in sorted(out.glob("*.txt"))]
    assert len(printed) == report["payments"] and len(list(out.glob("*.png"))) == len(printed)
    terminal = demo_config(tmp_path).terminal
    catalog = load_catalog()
    store = Store(demo_config(tmp_path).storage.url)
    with store.reading() as s:
        payments = s.execute(
            text(
                "SELECT p.operation_id, p.receipt_number, p.service_id, p.account, p.inserted, "
                "p.commission, p.credited, p.created_at, r.language FROM payments p "
                "JOIN receipts r ON r.operation_id = p.operation_id"
            )
        ).all()
    store.close()
    languages = set()
    for op, number, service_id, account, inserted, commission, credited, at, lang in payments:
        receipt = next(page for page in printed if op in page)  # 5. the operation number
        service = catalog.get(service_id)
        languages.add(lang)

        def money(tiyn: int, lang: Language = lang) -> str:
            sign = "KZT" if lang == "en" else "тг"  # no printer code page has ₸
            return Money(tiyn).format(lang, sign=sign).replace("\u00a0", " ")

        paid_at = datetime.fromtimestamp(at / 1000, UTC).astimezone(KZ_TIME)
        lines = receipt.splitlines()
        assert any(line.rstrip().endswith(money(inserted)) for line in lines)  # 1. amount
        assert paid_at.strftime("%d.%m.%Y %H:%M:%S") in receipt  # 2. date and time
        assert any(line.rstrip().endswith(f" {number}") for line in lines)  # 3. receipt No.
        # 4. the agent, the address and the operator, named in the receipt's language
        assert terminal.agent_name_in(lang) in receipt and terminal.agent_bin in receipt
        assert service.operator.name_in(lang) in receipt
        assert account in receipt  # 6. the account, whole: the customer's proof
        assert service.operator.phone and service.operator.phone in receipt  # 7. operator
        if service.operator.support_phone:  # WMK's technical support line, beside its phone
            assert service.operator.support_phone in receipt
        assert terminal.support_phone in receipt
        assert terminal.id in receipt and terminal.address_in(lang) in receipt
        assert service.name(lang) in receipt and TITLE[lang] in receipt
        assert money(commission) in receipt and money(credited) in receipt
        assert STATUS[lang] in receipt
        assert f"[QR] {op}" in receipt  # the QR code carries the operation id
        assert max(len(line) for line in lines) <= 42
    assert languages == {"kk", "ru", "en"}  # the customer's language, each one seen
    assert "wmk" in {row[2] for row in payments}  # the support line was printed at least once
    assert all(s.operator.phone for s in catalog.services)  # the catalog refuses one without
