/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "rr-admin-view"
#include "config.h"

#include <glib/gi18n.h>

#include "rr-admin-view.h"

struct _RrAdminView
{
  GtkWidget       parent_instance;

  /* template */
  GtkLabel       *empty_label;
  GtkListBox     *list;
  GtkBox         *detail_box;
  GtkCheckButton *klantmanager_check;
  GtkCheckButton *teamleider_check;
  GtkCheckButton *auditor_check;
  GtkCheckButton *beheerder_check;
  GtkCheckButton *active_check;
  GtkEntry       *login_entry;
  GtkEntry       *name_entry;
  GtkEntry       *team_entry;
  GtkButton      *add_button;
  GtkLabel       *message_label;

  /* owned */
  RrStore        *store;
  char           *login;
  GPtrArray      *users;   /* (element-type RrUser) */
  gboolean        loading;
};

G_DEFINE_FINAL_TYPE (RrAdminView, rr_admin_view, GTK_TYPE_WIDGET)

static void
show_message (RrAdminView *self,
              const char  *text,
              gboolean     refusal)
{
  gtk_label_set_text (self->message_label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label),
                            refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL);
}

static RrUser *
selected_user (RrAdminView *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;

  if (index < 0 || (guint) index >= self->users->len)
    return NULL;
  return g_ptr_array_index (self->users, index);
}

static GtkCheckButton *
check_for (RrAdminView *self,
           RrRoles      role)
{
  switch (role)
    {
    case RR_ROLE_KLANTMANAGER: return self->klantmanager_check;
    case RR_ROLE_TEAMLEIDER: return self->teamleider_check;
    case RR_ROLE_AUDITOR: return self->auditor_check;
    case RR_ROLE_BEHEERDER: return self->beheerder_check;
    case RR_ROLE_NONE:
    default: return NULL;
    }
}

static void
on_row_selected (RrAdminView *self)
{
  RrUser *user = selected_user (self);
  GtkWidget *child;
  GtkWidget *label;
  g_autofree char *title = NULL;
  g_autofree char *meta = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->detail_box))) != NULL)
    gtk_box_remove (self->detail_box, child);
  self->loading = TRUE;
  for (RrRoles role = RR_ROLE_KLANTMANAGER; role <= RR_ROLE_BEHEERDER; role <<= 1)
    {
      gtk_check_button_set_active (check_for (self, role), user != NULL && (user->roles & role));
      gtk_widget_set_sensitive (GTK_WIDGET (check_for (self, role)), user != NULL);
    }
  gtk_check_button_set_active (self->active_check, user != NULL && user->active);
  gtk_widget_set_sensitive (GTK_WIDGET (self->active_check), user != NULL);
  self->loading = FALSE;
  if (user == NULL)
    {
      label = gtk_label_new (_("Select a user to change their roles."));
      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (self->detail_box, label);
      return;
    }
  title = g_strdup_printf ("%s · %s", user->display_name, user->login);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "title-3");
  gtk_box_append (self->detail_box, label);
  meta = g_strdup (user->team);
  label = gtk_label_new (meta);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (self->detail_box, label);
}

static void
select_login (RrAdminView *self,
              const char  *login)
{
  for (guint i = 0; i < self->users->len; i++)
    if (g_strcmp0 (((RrUser *) g_ptr_array_index (self->users, i))->login, login) == 0)
      gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, (int) i));
}

static void
on_role_toggled (GtkCheckButton *check,
                 RrAdminView    *self)
{
  RrUser *user = selected_user (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  gboolean ok;
  RrRoles role = RR_ROLE_NONE;

  if (self->loading || user == NULL)
    return;
  for (RrRoles r = RR_ROLE_KLANTMANAGER; r <= RR_ROLE_BEHEERDER; r <<= 1)
    if (check_for (self, r) == check)
      role = r;
  /* Changing roles reloads the list (the store says so), which frees @user. */
  login = g_strdup (user->login);
  if (gtk_check_button_get_active (check))
    ok = rr_users_grant (self->store, self->login, login, role, &error);
  else
    ok = rr_users_revoke (self->store, self->login, login, role, &error);
  rr_admin_view_reload (self);
  select_login (self, login);
  show_message (self, ok ? NULL : error->message, TRUE);
}

static void
on_active_toggled (GtkCheckButton *check,
                   RrAdminView    *self)
{
  RrUser *user = selected_user (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *login = NULL;
  gboolean ok;

  if (self->loading || user == NULL)
    return;
  login = g_strdup (user->login);
  ok = rr_users_set_active (self->store, self->login, login, gtk_check_button_get_active (check),
                            &error);
  rr_admin_view_reload (self);
  select_login (self, login);
  show_message (self, ok ? NULL : error->message, TRUE);
}

static void
on_add_clicked (RrAdminView *self)
{
  g_autofree char *login = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->login_entry))));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  g_autofree char *team = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->team_entry))));
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;

  if (!rr_users_add (self->store, self->login, login, name, team, RR_ROLE_KLANTMANAGER, &error))
    {
      show_message (self, error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->login_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  rr_admin_view_reload (self);
  select_login (self, login);
  done = g_strdup_printf (_("%s was added as klantmanager."), name);
  show_message (self, done, FALSE);
}

static GtkWidget *
user_row (const RrUser *user)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meta;
  g_autofree char *head = g_markup_printf_escaped ("<b>%s</b>  %s", user->display_name,
                                                   user->login);
  g_autofree char *tail = NULL;
  GString *list = g_string_new (NULL);

  for (RrRoles role = RR_ROLE_KLANTMANAGER; role <= RR_ROLE_BEHEERDER; role <<= 1)
    if (user->roles & role)
      {
        if (list->len > 0)
          g_string_append (list, ", ");
        g_string_append (list, rr_role_label (role));
      }
  tail = g_strdup_printf ("%s · %s%s", user->team, list->str,
                          user->active ? "" : _(" · inactive"));
  g_string_free (list, TRUE);
  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  meta = gtk_label_new (tail);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), meta);
  return box;
}

static void
rr_admin_view_dispose (GObject *object)
{
  RrAdminView *self = RR_ADMIN_VIEW (object);
  GtkWidget *child;

  /* The list emits row-selected while it is torn down. */
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_ADMIN_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_admin_view_parent_class)->dispose (object);
}

static void
rr_admin_view_finalize (GObject *object)
{
  RrAdminView *self = RR_ADMIN_VIEW (object);

  g_free (self->login);
  g_ptr_array_unref (self->users);
  G_OBJECT_CLASS (rr_admin_view_parent_class)->finalize (object);
}

static void
rr_admin_view_class_init (RrAdminViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rr_admin_view_dispose;
  object_class->finalize = rr_admin_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/nl/regelruimte/Regelruimte/ui/rr-admin-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, RrAdminView, name)
  BIND (empty_label);
  BIND (list);
  BIND (detail_box);
  BIND (klantmanager_check);
  BIND (teamleider_check);
  BIND (auditor_check);
  BIND (beheerder_check);
  BIND (active_check);
  BIND (login_entry);
  BIND (name_entry);
  BIND (team_entry);
  BIND (add_button);
  BIND (message_label);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
}

static void
rr_admin_view_init (RrAdminView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->users = g_ptr_array_new ();
  for (RrRoles role = RR_ROLE_KLANTMANAGER; role <= RR_ROLE_BEHEERDER; role <<= 1)
    g_signal_connect (check_for (self, role), "toggled", G_CALLBACK (on_role_toggled), self);
  g_signal_connect (self->active_check, "toggled", G_CALLBACK (on_active_toggled), self);
}

GtkWidget *
rr_admin_view_new (RrStore    *store,
                   const char *login)
{
  RrAdminView *self;
  g_autoptr(RrUser) me = NULL;

  g_return_val_if_fail (RR_IS_STORE (store), NULL);
  g_return_val_if_fail (login != NULL, NULL);

  self = g_object_new (RR_TYPE_ADMIN_VIEW, NULL);
  self->store = g_object_ref (store);
  self->login = g_strdup (login);
  me = rr_users_lookup (store, login, NULL);
  if (me != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->team_entry), me->team);
  rr_admin_view_reload (self);
  return GTK_WIDGET (self);
}

void
rr_admin_view_reload (RrAdminView *self)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  g_return_if_fail (RR_IS_ADMIN_VIEW (self));

  g_signal_handlers_block_by_func (self->list, on_row_selected, self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  g_signal_handlers_unblock_by_func (self->list, on_row_selected, self);
  g_ptr_array_unref (self->users);
  self->users = g_ptr_array_new ();
  users = rr_users_list (self->store, &error);
  if (users == NULL)
    {
      gtk_label_set_text (self->empty_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->empty_label), TRUE);
      on_row_selected (self);
      return;
    }
  for (guint i = 0; i < users->len; i++)
    gtk_list_box_append (self->list, user_row (g_ptr_array_index (users, i)));
  g_ptr_array_unref (self->users);
  self->users = g_steal_pointer (&users);
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->users->len == 0);
  on_row_selected (self);
}

void
rr_admin_view_select (RrAdminView *self,
                      int          index)
{
  g_return_if_fail (RR_IS_ADMIN_VIEW (self));
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, index));
}

guint
rr_admin_view_get_n_rows (RrAdminView *self)
{
  g_return_val_if_fail (RR_IS_ADMIN_VIEW (self), 0);
  return self->users->len;
}
