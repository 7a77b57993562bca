"""Issue 4 end to end in a browser: a contributor of the social services writes a report with a
deviation; the coordinator sees it on the agreement's dashboard, puts it on the next KUG
meeting's agenda, records a decision that creates an activity, and downloads the follow-up
report and the minutes.

The data is Eskilstuna 2024-2027 (seed 001) loaded as the demo loads it: the agreement with its
action plan, the rounds laid out from its follow-up plan with the current one open, and the KUG
meetings of the meetings demo (one held, the next planned)."""
from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from .conftest import WAIT_SECONDS, click_and_wait, login, screenshot, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"
NIGHT_WALKING = "Nattvandring: möta ungdomar som är ute sent på kvällen"
REASON = ("I Fröslunda har nattvandringen inte kunnat genomföras varje helg: det finns för få "
          "frivilliga nattvandrare.")
PROPOSED = "Rekrytera fler vuxna via föräldramöten på skolorna i Fröslunda."
DECISION = ("KUG beslutar att fältverksamheten och föreningarna i Fröslunda tillsammans "
            "rekryterar fler nattvandrare.")
NEW_ACTIVITY = "Rekrytering av nattvandrare i Fröslunda"


def eskilstuna():
    """Eskilstuna's reference data (an earlier transactional test may have flushed it)."""
    from samverkan.organizations.models import County, Municipality

    county, _ = County.objects.get_or_create(code="04", defaults={"name": "Södermanlands län"})
    municipality, _ = Municipality.objects.get_or_create(
        code="0484", defaults={"name": "Eskilstuna", "county": county})
    return municipality


def build_data():
    from django.contrib.auth import get_user_model

    from samverkan.core.choices import Role
    from samverkan.demo.loader import DATA, load_agreement
    from samverkan.followup import demo as followup_demo
    from samverkan.meetings import demo as meetings_demo
    from samverkan.organizations.models import Organization
    from samverkan.organizations.services import add_membership

    municipality = eskilstuna()
    agreement = load_agreement(DATA / "eskilstuna_2024_2027.json", actor=None)
    users = {}
    for username, org_name, role, first, last in [
        ("socialtjanst", "Socialförvaltningen", Role.CONTRIBUTOR, "Sam", "Socialsekreterare"),
        ("samordnare", "Eskilstuna kommun", Role.COORDINATOR, "Samira", "Samordnare"),
    ]:
        user = get_user_model().objects.create_user(username, password=PASSWORD,
                                                    first_name=first, last_name=last)
        add_membership(actor=None, user=user, role=role, organization=Organization.objects.get(
            municipality=municipality, name=org_name))
        users[username] = user
    today = timezone.localdate()
    _created, current, _closed = followup_demo.prepare_rounds(
        agreement, actor=users["samordnare"], today=today)
    _held, upcoming = meetings_demo.load(actor=users["samordnare"], today=today)
    return agreement, current, upcoming, users


def fetch(browser, url: str):
    """GET `url` with the browser's session (a download the user starts by a click)."""
    import requests

    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    return requests.get(url, cookies=cookies, timeout=30)


def docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def click(browser, element):
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def test_report_deviation_agenda_decision_and_downloads(browser, live_server, run_jobs):
    from samverkan.followup.models import ActivityReport, Deviation
    from samverkan.meetings.choices import DecisionEffect
    from samverkan.meetings.models import AgendaItem, Decision
    from samverkan.plans.models import Activity

    agreement, current, upcoming, users = build_data()
    base = live_server.url

    # -- the contributor writes the night-walking report, with a deviation -----------------
    login(browser, live_server, "socialtjanst", PASSWORD)
    browser.get(base + reverse("followup:my_reports"))
    wait_for(browser, "tr.row-missing")
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.row-missing")
    row = next(r for r in rows if NIGHT_WALKING[:40] in r.text and current.label in r.text)
    screenshot(browser, "followup-my-reports")
    click(browser, row.find_element(By.LINK_TEXT, "Skriv rapport"))
    wait_for(browser, "input[name=status][value=yellow]")
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=status][value=yellow]"))
    browser.find_element(By.NAME, "what_was_done").send_keys(
        "Nattvandring fredagar och lördagar kvällstid i Skiftinge och Årby.")
    browser.find_element(By.NAME, "collaborated_with").send_keys(
        "Föreningar och föräldrar som nattvandrar, fältverksamheten, områdespoliserna.")
    browser.find_element(By.NAME, "effects_seen").send_keys(
        "Nattvandrarna lotsar unga som behöver hjälp vidare till fältverksamheten.")
    Select(browser.find_element(By.NAME, "deviation_kind")).select_by_value("off_target")
    browser.find_element(By.NAME, "deviation_reason").send_keys(REASON)
    browser.find_element(By.NAME, "deviation_proposed_action").send_keys(PROPOSED)
    screenshot(browser, "followup-report-form")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
    wait_for(browser, ".alert-success, .alert")
    assert browser.current_url.split("?")[0].endswith(reverse("followup:my_reports"))
    assert "rapporten är sparad" in browser.page_source

    report = ActivityReport.objects.get(round=current, activity__title=NIGHT_WALKING)
    assert report.status == "yellow" and report.submitted_by == users["socialtjanst"]
    assert report.organization.name == "Socialförvaltningen"
    deviation = Deviation.objects.get(report=report)
    assert deviation.is_open and deviation.reason == REASON
    assert deviation.proposed_action == PROPOSED

    # -- the coordinator sees the deviation on the dashboard --------------------------------
    browser.delete_all_cookies()
    login(browser, live_server, "samordnare", PASSWORD)
    browser.get(base + reverse("followup:dashboard", args=[agreement.pk]))
    link = wait_for(browser, f"a[href='{deviation.get_absolute_url()}']")
    table_row = link.find_element(By.XPATH, "./ancestor::tr")
    assert "Fröslunda" in table_row.text and "Rekrytera fler vuxna" in table_row.text
    screenshot(browser, "followup-dashboard")

    # -- puts it on the next KUG meeting's agenda (the proposed items) ----------------------
    browser.get(base + upcoming.get_absolute_url())
    propose_url = reverse("meetings:agenda_propose", args=[upcoming.pk])
    propose = wait_for(browser, f"form[action='{propose_url}'] button")
    assert "Nattvandring" in browser.find_element(By.ID, "agenda").text  # proposed, not yet on it
    click(browser, propose)
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: AgendaItem.objects.filter(meeting=upcoming, deviation=deviation).exists())
    item = AgendaItem.objects.get(meeting=upcoming, deviation=deviation)
    heading = wait_for(browser, f"#item-{item.pk} h3")
    assert "Nattvandring" in heading.text
    screenshot(browser, "meeting-agenda-with-deviation")

    # -- minutes for the item, and a decision that creates an activity -----------------------
    minutes = browser.find_element(By.NAME, f"item{item.pk}-minutes")
    minutes.send_keys("Socialförvaltningen redovisade avvikelsen. KSG har berett ett förslag.")
    click(browser, browser.find_element(
        By.CSS_SELECTOR, f"#minutes-{item.pk} button[type=submit]"))
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda d: AgendaItem.objects.get(pk=item.pk).minutes != "")
    wait_for(browser, f"#minutes-{item.pk} [role=status]")

    decision_url = reverse("meetings:decision_create", args=[upcoming.pk])
    click(browser, wait_for(browser, f"#item-{item.pk} a[href$='{decision_url}?item={item.pk}']"))
    text = wait_for(browser, "textarea[name=text]")
    text.send_keys(DECISION)
    assert Select(browser.find_element(By.NAME, "agenda_item")).first_selected_option \
        .get_attribute("value") == str(item.pk)
    click(browser, browser.find_element(By.CSS_SELECTOR, "input[name=effect][value=created]"))
    area = agreement.focus_areas.get(number=2)
    sub_goal = area.sub_goals.get(text__startswith="Stärkt samverkan för meningsfull fritid")
    Select(wait_for(browser, "select[name=new_focus_area]", visible=True)).select_by_value(
        str(area.pk))
    Select(browser.find_element(By.NAME, "new_sub_goal")).select_by_value(str(sub_goal.pk))
    browser.find_element(By.NAME, "new_title").send_keys(NEW_ACTIVITY)
    browser.find_element(By.NAME, "new_timing_text").send_keys("Under 2027")
    social = report.organization
    click(browser, browser.find_element(
        By.CSS_SELECTOR, f"input[name=new_responsible_organizations][value='{social.pk}']"))
    screenshot(browser, "meeting-decision-form")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.form button[type=submit]"))
    wait_for(browser, "#decisions")
    assert NEW_ACTIVITY in browser.find_element(By.ID, "decisions").text

    decision = Decision.objects.get(meeting=upcoming, text=DECISION)
    assert decision.effect == DecisionEffect.CREATED and decision.agenda_item == item
    activity = Activity.objects.get(agreement=agreement, title=NEW_ACTIVITY)
    assert decision.activity == activity
    assert list(activity.decisions.all()) == [decision]
    assert activity.focus_area == area and activity.sub_goal == sub_goal
    assert list(activity.responsible_organizations.all()) == [social]

    # -- downloads: the follow-up report and the minutes -------------------------------------
    # The report (Word and PDF) is built by a background job: the button leads to the job's
    # page, which offers the file when the worker has built it.
    report_links = {}
    for fmt in ("docx", "pdf"):
        browser.get(base + current.get_absolute_url())
        click(browser, wait_for(browser, "#round-word" if fmt == "docx" else "#round-pdf"))
        WebDriverWait(browser, WAIT_SECONDS).until(lambda d: "/jobs/" in d.current_url)
        assert run_jobs() == 1
        browser.refresh()
        report_links[fmt] = wait_for(browser, "#job-file").get_attribute("href")
    browser.get(base + upcoming.get_absolute_url())
    wait_for(browser, ".export-menu summary")
    minutes_links = {a.get_attribute("href").rsplit("=", 1)[-1]: a.get_attribute("href")
                     for a in browser.find_elements(
                         By.CSS_SELECTOR,
                         f"a[href*='{reverse('meetings:minutes_export', args=[upcoming.pk])}']")}
    assert set(minutes_links) == {"docx", "pdf"}

    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    followup_docx = fetch(browser, report_links["docx"])
    assert followup_docx.status_code == 200
    assert followup_docx.headers["Content-Type"].startswith(docx_type)
    assert "attachment" in followup_docx.headers["Content-Disposition"]
    text = docx_text(followup_docx.content)
    assert current.label in text and "Fröslunda" in text and NIGHT_WALKING in text

    followup_pdf = fetch(browser, report_links["pdf"])
    assert followup_pdf.headers["Content-Type"].startswith("application/pdf")
    assert followup_pdf.content.startswith(b"%PDF")
    assert "Fröslunda" in pdf_text(followup_pdf.content)

    minutes_docx = fetch(browser, minutes_links["docx"])
    assert minutes_docx.headers["Content-Type"].startswith(docx_type)
    text = docx_text(minutes_docx.content)
    assert DECISION in text and "Socialförvaltningen redovisade avvikelsen" in text

    minutes_pdf = fetch(browser, minutes_links["pdf"])
    assert minutes_pdf.headers["Content-Type"].startswith("application/pdf")
    assert "KUG beslutar" in pdf_text(minutes_pdf.content)
