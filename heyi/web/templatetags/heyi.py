from django import forms, template

register = template.Library()

WIDGET_CLASSES = {
    forms.Textarea: "textarea",
    forms.Select: "",
    forms.SelectMultiple: "",
    forms.CheckboxInput: "",
    forms.RadioSelect: "",
    forms.CheckboxSelectMultiple: "",
    forms.ClearableFileInput: "",
    forms.FileInput: "",
}


@register.simple_tag
def bulma_field(field):
    """Render a bound field's widget with the design system's class for its kind."""
    widget = field.field.widget
    css = next((c for cls, c in WIDGET_CLASSES.items() if isinstance(widget, cls)), "input")
    if field.errors and css:
        css += " is-danger"
    return field.as_widget(attrs={"class": css} if css else None)
