def test_user_logs_in_by_email(django_user_model):
    user = django_user_model.objects.create_user("Hanako@Example.jp", "pw-123456789")
    assert user.email == "hanako@example.jp"
    assert user.check_password("pw-123456789")
