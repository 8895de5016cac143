from django import forms

from contact.models import ContactMessage


class ContactForm(forms.ModelForm):
    """The contact form: a name, an email address to reply to, and the message."""

    # A field people never see: only a robot fills it in.
    website = forms.CharField(required=False, label="Leave this field empty")

    class Meta:
        model = ContactMessage
        fields = ["name", "email", "message"]
        labels = {
            "name": "Your name",
            "email": "Your email address",
            "message": "Your message",
        }
        help_texts = {
            "name": "",
            "email": "We only use this to reply to you.",
            "message": (
                "Do not include health details or anything about a patient. "
                "You can write up to 5,000 characters."
            ),
        }
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
            "message": forms.Textarea(attrs={"rows": 8}),
        }
        error_messages = {
            "name": {
                "required": "Enter your name",
                "max_length": "Your name must be 100 characters or fewer",
            },
            "email": {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
                "max_length": "Your email address must be 254 characters or fewer",
            },
            "message": {
                "required": "Enter your message",
                "max_length": "Your message must be 5,000 characters or fewer",
            },
        }

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_message(self):
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError("Enter your message")
        return message

    def is_spam(self):
        return bool(self.cleaned_data.get("website"))
