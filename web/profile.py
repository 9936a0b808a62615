"""A person's own profile: the name and ORCID iD the record's exports cite them by (provenance.models.Profile,
read by provenance.exports.people). Theirs to set here; an ORCID iD whose check digit is wrong is refused in
the form, with nothing saved."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect

from provenance.models import Profile
from web.access import LoginRequired
from web.render import page

ORCID_URL = "https://orcid.org/"


class ProfileForm(forms.ModelForm):
    # Room for the iD's URL as pasted; the model's 19 characters apply to what is stored.
    orcid = forms.CharField(
        label="ORCID iD (optional)", max_length=60, required=False,
        help_text="16 digits in groups of four, the last a check digit: 0000-0002-1825-0097",
    )

    class Meta:
        model = Profile
        fields = ["name", "orcid"]
        labels = {"name": "Name, as a citation should give it"}
        help_texts = {"name": ""}

    def clean_orcid(self) -> str:
        # What people paste: the iD's URL, spaces, a lower-case check digit x. Stored as the bare iD.
        orcid = self.cleaned_data["orcid"].strip().removeprefix(ORCID_URL).removeprefix("orcid.org/")
        return orcid.upper()


def profile(request):
    if not request.user.is_authenticated:
        raise LoginRequired()
    mine = Profile.objects.filter(user=request.user).first() or Profile(user=request.user)
    form = ProfileForm(request.POST or None, instance=mine, auto_id="profile-%s")
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved: exports name you as shown here.")
        return redirect("pages:profile")
    return page(request, "pages/profile.html", {"form": form}, status=400 if form.errors else 200)
