"""The user model's content type follows it from `portal` to `users`.

Permissions (`auth_permission`) and admin history (`django_admin_log`) point at the content
type row; renaming it keeps them attached instead of leaving them on a stale `portal.user`
while `post_migrate` creates a fresh, empty `users.user`."""

from django.db import migrations


def _relabel(apps, schema_editor, *, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="user").exists():
        return  # already there (a database made after the move)
    ContentType.objects.using(db).filter(app_label=old, model="user").update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="portal", new="users")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, old="users", new="portal")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("users", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
