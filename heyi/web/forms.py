from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Password"), max_length=256, widget=forms.PasswordInput)


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(
        label=_("Current password"), max_length=256, widget=forms.PasswordInput
    )
    new_password = forms.CharField(label=_("New password"), max_length=256, widget=forms.PasswordInput)


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    current_password = forms.CharField(
        label=_("Current password"), max_length=256, widget=forms.PasswordInput
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[("zh-hans", "简体中文"), ("en", "English")])


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
