"""A signed-in person sets the name and ORCID iD the exports cite them by on their own profile page, linked
from the header; an ORCID iD with a wrong check digit is refused with a clear error and nothing saved."""

import re

import pytest
from django.urls import reverse

from provenance.models import Profile
from tests.pages.html_check import read

pytestmark = pytest.mark.django_db

ORCID = "0000-0002-1825-0097"  # ORCID's own example iD
URL = reverse("pages:profile")


def test_the_header_links_to_the_profile(as_alice):
    html = as_alice.get(reverse("pages:projects")).content.decode()
    assert f'<a href="{URL}" class="who">alice · profile</a>' in html


def test_the_page_has_a_specific_title_and_labelled_fields(as_alice):
    html = as_alice.get(URL).content.decode()
    assert re.search(r"<title>Your profile \(alice\) · Seedtrace</title>", html)
    for field in ("profile-name", "profile-orcid"):
        assert f'<label for="{field}">' in html and f'id="{field}"' in html
    assert read(html).dangers == []


def test_a_name_and_orcid_are_saved_and_shown_again(as_alice, alice):
    response = as_alice.post(URL, {"name": "Alice Physicist", "orcid": ORCID})
    assert response.status_code == 302 and response["Location"] == URL
    profile = Profile.objects.get(user=alice)
    assert (profile.name, profile.orcid) == ("Alice Physicist", ORCID)
    html = as_alice.get(URL).content.decode()
    assert 'value="Alice Physicist"' in html and f'value="{ORCID}"' in html and "Saved" in html


@pytest.mark.parametrize("typed, stored", [
    (f"https://orcid.org/{ORCID}", ORCID),
    (" 0000-0002-9079-593x ", "0000-0002-9079-593X"),  # a valid iD whose check digit is X
    ("", ""),
])
def test_an_orcid_is_stored_as_the_bare_id(as_alice, alice, typed, stored):
    assert as_alice.post(URL, {"name": "", "orcid": typed}).status_code == 302
    assert Profile.objects.get(user=alice).orcid == stored


@pytest.mark.parametrize("typed", ["0000-0002-1825-0098", "0000-0002-1825", "orcid please"])
def test_a_bad_orcid_is_refused_and_nothing_saved(as_alice, alice, typed):
    Profile.objects.create(user=alice, name="Alice", orcid=ORCID)
    response = as_alice.post(URL, {"name": "Alice Changed", "orcid": typed})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert">Nothing was saved.' in html and "is no ORCID iD" in html
    assert 'aria-invalid="true"' in html and f'value="{typed}"' in html  # kept in the form to correct
    profile = Profile.objects.get(user=alice)
    assert (profile.name, profile.orcid) == ("Alice", ORCID)


def test_each_person_edits_only_their_own_profile(as_alice, alice, bob):
    Profile.objects.create(user=bob, name="Bob", orcid=ORCID)
    as_alice.post(URL, {"name": "Alice", "orcid": ""})
    assert Profile.objects.get(user=bob).name == "Bob" and Profile.objects.get(user=alice).name == "Alice"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("pages:login"))


def test_the_exports_cite_the_person_as_their_profile_says(as_alice, run):
    from provenance.exports.people import contributors
    from provenance.exports.scope import run_scope

    as_alice.post(URL, {"name": "Alice Physicist", "orcid": ORCID})
    (starter,) = contributors(run_scope(run))
    assert (starter.name, starter.id) == ("Alice Physicist", f"https://orcid.org/{ORCID}")
