import pytest
from django.urls import reverse

from evolution.models import RunState
from provenance import ledger
from provenance.models import RECORD_MODELS, AnnotationHead, Membership, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model, founder, mutate, alice, gpt, llm_step):
    llm_step(
        founder, mutate(founder), call=dict(agent=gpt, response_text="r", cost="0.001", price_table="test")
    )
    ledger.annotate(founder, "note", alice)
    ledger.record_events(founder.run, [("register", {"island": 0}, founder)])
    root = django_user_model.objects.create_superuser("root", "root@example.org")
    client.force_login(root)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("record_model", RECORD_MODELS, ids=lambda m: m._meta.model_name)
def test_records_can_be_listed_and_viewed_but_not_added_changed_or_deleted(admin_client, record_model):
    model = record_model
    record = model.objects.first()
    assert admin_client.get(url(model, "changelist")).status_code == 200
    page = admin_client.get(url(model, "change", record.pk))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.post(url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    "table", [Project, Membership, RunState, AnnotationHead], ids=lambda m: m._meta.model_name
)
def test_mutable_tables_are_editable(admin_client, table):
    record = table.objects.first()
    page = admin_client.get(url(table, "change", record.pk))
    assert page.status_code == 200 and b'name="_save"' in page.content
