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
  GtkListView    *list;
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
  GtkStack       *stack;
  GtkDropDown    *role_dropdown;
  GtkListBox     *mandate_list;
  GtkLabel       *mandate_message;
  GtkListBox     *domain_list;
  GtkEntry       *domain_label_entry;
  GtkEntry       *domain_code_entry;
  GtkButton      *domain_add_button;
  GtkLabel       *domain_message;
  GtkListBox     *kind_list;
  GtkEntry       *kind_label_entry;
  GtkEntry       *kind_code_entry;
  GtkButton      *kind_add_button;
  GtkLabel       *kind_message;

  /* owned */
  RrStore        *store;
  char           *login;
  GPtrArray      *users;   /* (element-type RrUser) */
  GtkStringList  *user_logins;  /* the list's model: the logins of @users, in order */
  GtkSingleSelection *selection;
  GPtrArray      *mandate_rows;  /* (element-type MandateRow) */
  GPtrArray      *term_rows;     /* (element-type TermRow) */
  gboolean        loading;
  gboolean        setting_code;
};

/* The widgets of one line of the mandate table; the list box owns them. */
typedef struct {
  RrAdminView *self;
  char        *kind;
  char        *label;
  GtkDropDown *alone_dropdown;
  GtkEntry    *amount_entry;
} MandateRow;

/* The widgets of one vocabulary term; the list box owns them. */
typedef struct {
  RrAdminView *self;
  RrVocab      vocab;
  char        *code;
  GtkEntry    *label_entry;
} TermRow;

/* The roles the mandate table is kept for: those who record decisions. */
static const RrRoles mandate_roles[] = { RR_ROLE_KLANTMANAGER, RR_ROLE_TEAMLEIDER };

G_DEFINE_FINAL_TYPE (RrAdminView, rr_admin_view, GTK_TYPE_WIDGET)

static void reload_mandate (RrAdminView *self);
static void reload_terms (RrAdminView *self, RrVocab vocab);

static void
mandate_row_free (MandateRow *row)
{
  g_free (row->kind);
  g_free (row->label);
  g_free (row);
}

static void
term_row_free (TermRow *row)
{
  g_free (row->code);
  g_free (row);
}

static void
set_message (GtkLabel   *label,
             const char *text,
             gboolean    refusal)
{
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "rr-refusal");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "rr-success");
  gtk_widget_add_css_class (GTK_WIDGET (label), refusal ? "rr-refusal" : "rr-success");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

static void
show_message (RrAdminView *self,
              const char  *text,
              gboolean     refusal)
{
  set_message (self->message_label, text, refusal);
}

static void
set_accessible_label (gpointer    widget,
                      const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label, -1);
}

/* "2500", "2.500", "2500,50", "2,500.50", "€ 2.500": whole euros and cents.
 * A single separator followed by three digits groups thousands. */
static gboolean
parse_euros (const char *text,
             gint64     *cents)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *decimal = NULL;
  const char *last_sep = NULL;
  gint64 whole = 0;
  gint64 fraction = 0;
  guint n_fraction = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '.' || c == ',')
        last_sep = p;
      else if (!(c < 0x80 && g_ascii_isdigit (c)) && !g_unichar_isspace (c)
               && c != 0x20AC /* € */)
        return FALSE;
    }
  if (last_sep != NULL)
    {
      gsize after = 0;

      for (const char *p = last_sep + 1; *p != '\0'; p++)
        if (g_ascii_isdigit (*p))
          after++;
      /* Three digits after the last separator: it groups thousands, as
       * every separator before it does. */
      if (after > 3)
        return FALSE;
      if (after < 3)
        decimal = last_sep;
    }
  for (const char *p = text; *p != '\0'; p++)
    {
      if (p == decimal)
        break;
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }
  if (digits->len == 0 || digits->len > 12)
    return FALSE;
  whole = g_ascii_strtoll (digits->str, NULL, 10);
  if (decimal != NULL)
    for (const char *p = decimal + 1; *p != '\0'; p++)
      if (g_ascii_isdigit (*p))
        {
          fraction = fraction * 10 + (*p - '0');
          n_fraction++;
        }
  if (n_fraction == 1)
    fraction *= 10;
  *cents = whole * 100 + fraction;
  return TRUE;
}

static char *
format_euros (gint64 cents)
{
  if (cents < 0)
    return g_strdup ("");
  if (cents % 100 == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, cents / 100);
  return g_strdup_printf ("%.2f", (double) cents / 100);
}

/* A code for a new term from its label: "Schuldhulp & budget" → "schuldhulp-budget". */
static char *
code_from_label (const char *label)
{
  g_autofree char *ascii = g_str_to_ascii (label, "C");
  GString *code = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && code->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (code, g_ascii_tolower (*p));
      else if (code->len > 0 && code->str[code->len - 1] != '-')
        g_string_append_c (code, '-');
    }
  while (code->len > 0 && code->str[code->len - 1] == '-')
    g_string_truncate (code, code->len - 1);
  return g_string_free (code, FALSE);
}

static RrUser *
selected_user (RrAdminView *self)
{
  guint index = gtk_single_selection_get_selected (self->selection);

  if (index == GTK_INVALID_LIST_POSITION || index >= self->users->len)
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
      gtk_single_selection_set_selected (self->selection, i);
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

/* ------------------------------------------------------------ mandate */

static RrRoles
selected_role (RrAdminView *self)
{
  guint index = gtk_drop_down_get_selected (self->role_dropdown);

  return index < G_N_ELEMENTS (mandate_roles) ? mandate_roles[index] : RR_ROLE_KLANTMANAGER;
}

static void
on_mandate_alone_changed (MandateRow *row)
{
  /* An amount limits only deciding alone. */
  gtk_widget_set_sensitive (GTK_WIDGET (row->amount_entry),
                            gtk_drop_down_get_selected (row->alone_dropdown) == 0);
}

static void
on_mandate_save (MandateRow *row)
{
  RrAdminView *self = row->self;
  RrRoles role = selected_role (self);
  gboolean alone = gtk_drop_down_get_selected (row->alone_dropdown) == 0;
  g_autofree char *amount = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->amount_entry))));
  g_autofree char *done = NULL;
  g_autofree char *shown = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cents = -1;

  if (alone && *amount != '\0' && !parse_euros (amount, &cents))
    {
      g_autofree char *text =
        g_strdup_printf (_("“%s” is not an amount in euros. Write it like 2500 or 2.500,00, "
                           "or leave it empty for any amount."), amount);

      /* What was typed stays, so that it can be corrected. */
      set_message (self->mandate_message, text, TRUE);
      return;
    }
  if (!rr_mandate_set (self->store, self->login, role, row->kind, alone, alone ? cents : -1,
                       &error))
    {
      set_message (self->mandate_message, error->message, TRUE);
      return;
    }
  shown = format_euros (alone ? cents : -1);
  gtk_editable_set_text (GTK_EDITABLE (row->amount_entry), shown);
  if (!alone)
    done = g_strdup_printf (_("Saved for the role %s: the teamleider’s approval is needed for “%s”."),
                            rr_role_label (role), row->label);
  else if (cents >= 0)
    done = g_strdup_printf (_("Saved for the role %s: decides alone on “%s” up to € %s."),
                            rr_role_label (role), row->label, shown);
  else
    done = g_strdup_printf (_("Saved for the role %s: decides alone on “%s”, for any amount."),
                            rr_role_label (role), row->label);
  set_message (self->mandate_message, done, FALSE);
}

static GtkWidget *
mandate_row_new (RrAdminView     *self,
                 const RrTerm    *kind,
                 const RrMandate *mandate)
{
  MandateRow *row = g_new0 (MandateRow, 1);
  const char *choices[] = { _("Decides alone"), _("Teamleider approves"), NULL };
  g_autoptr(GtkStringList) model = gtk_string_list_new (choices);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *label = gtk_label_new (kind->label);
  GtkWidget *up_to = gtk_label_new (_("up to €"));
  GtkWidget *button = gtk_button_new_with_label (_("Save"));
  g_autofree char *a11y = NULL;
  g_autofree char *amount = NULL;

  row->self = self;
  row->kind = g_strdup (kind->code);
  row->label = g_strdup (kind->label);
  g_ptr_array_add (self->mandate_rows, row);

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_widget_set_name (box, kind->code);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  row->alone_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&model)), NULL));
  /* No row yet (a new kind): nobody decides alone until the beheerder says so. */
  gtk_drop_down_set_selected (row->alone_dropdown, mandate != NULL && mandate->alone ? 0 : 1);
  /* One width for both choices, so that the column lines up. */
  gtk_widget_set_size_request (GTK_WIDGET (row->alone_dropdown), 190, -1);
  a11y = g_strdup_printf (_("Who decides on “%s”"), kind->label);
  set_accessible_label (row->alone_dropdown, a11y);
  g_signal_connect_swapped (row->alone_dropdown, "notify::selected",
                            G_CALLBACK (on_mandate_alone_changed), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->alone_dropdown));

  gtk_widget_add_css_class (up_to, "dim-label");
  gtk_box_append (GTK_BOX (box), up_to);
  row->amount_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_editable_set_width_chars (GTK_EDITABLE (row->amount_entry), 9);
  gtk_entry_set_placeholder_text (row->amount_entry, _("any amount"));
  amount = format_euros (mandate != NULL && mandate->alone ? mandate->max_amount_cents : -1);
  gtk_editable_set_text (GTK_EDITABLE (row->amount_entry), amount);
  g_clear_pointer (&a11y, g_free);
  a11y = g_strdup_printf (_("Highest amount in euros for “%s”"), kind->label);
  set_accessible_label (row->amount_entry, a11y);
  g_signal_connect_swapped (row->amount_entry, "activate", G_CALLBACK (on_mandate_save), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->amount_entry));
  on_mandate_alone_changed (row);

  g_clear_pointer (&a11y, g_free);
  a11y = g_strdup_printf (_("Save the mandate for “%s”"), kind->label);
  set_accessible_label (button, a11y);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_mandate_save), row);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static void
reload_mandate (RrAdminView *self)
{
  g_autoptr(GPtrArray) kinds = NULL;
  g_autoptr(GPtrArray) mandate = NULL;
  g_autoptr(GError) error = NULL;
  RrRoles role = selected_role (self);

  clear_list (self->mandate_list);
  g_ptr_array_set_size (self->mandate_rows, 0);
  kinds = rr_vocab_list (self->store, RR_VOCAB_KIND, &error);
  if (kinds != NULL)
    mandate = rr_mandate_list (self->store, &error);
  if (mandate == NULL)
    {
      set_message (self->mandate_message, error->message, TRUE);
      return;
    }
  for (guint i = 0; i < kinds->len; i++)
    {
      const RrTerm *kind = g_ptr_array_index (kinds, i);
      const RrMandate *found = NULL;

      for (guint j = 0; j < mandate->len && found == NULL; j++)
        {
          const RrMandate *m = g_ptr_array_index (mandate, j);

          if (m->role == role && g_strcmp0 (m->kind, kind->code) == 0)
            found = m;
        }
      gtk_list_box_append (self->mandate_list, mandate_row_new (self, kind, found));
    }
}

static void
on_role_selected (RrAdminView *self)
{
  if (self->store == NULL)
    return;
  set_message (self->mandate_message, NULL, FALSE);
  reload_mandate (self);
}

/* ------------------------------------------------------- vocabularies */

static GtkLabel *
term_message (RrAdminView *self,
              RrVocab      vocab)
{
  return vocab == RR_VOCAB_DOMAIN ? self->domain_message : self->kind_message;
}

static void
on_term_rename (TermRow *row)
{
  RrAdminView *self = row->self;
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row->label_entry))));
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;

  if (!rr_vocab_rename (self->store, self->login, row->vocab, row->code, label, &error))
    {
      /* What was typed stays, so that it can be corrected. */
      set_message (term_message (self, row->vocab), error->message, TRUE);
      return;
    }
  done = g_strdup_printf (_("Renamed to “%s”; decisions keep the code %s."), label, row->code);
  set_message (term_message (self, row->vocab), done, FALSE);
  if (row->vocab == RR_VOCAB_KIND)
    reload_mandate (self);
}

static GtkWidget *
term_row_new (RrAdminView  *self,
              RrVocab       vocab,
              const RrTerm *term)
{
  TermRow *row = g_new0 (TermRow, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *code = gtk_label_new (term->code);
  GtkWidget *button = gtk_button_new_with_label (_("Rename"));
  g_autofree char *a11y = NULL;

  row->self = self;
  row->vocab = vocab;
  row->code = g_strdup (term->code);
  g_ptr_array_add (self->term_rows, row);

  g_object_set (box, "margin-top", 4, "margin-bottom", 4, "margin-start", 8,
                "margin-end", 8, NULL);
  gtk_widget_set_name (box, term->code);
  row->label_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (row->label_entry), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row->label_entry), term->label);
  a11y = g_strdup_printf (_("Label of the term with code %s"), term->code);
  set_accessible_label (row->label_entry, a11y);
  g_signal_connect_swapped (row->label_entry, "activate", G_CALLBACK (on_term_rename), row);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->label_entry));

  gtk_label_set_width_chars (GTK_LABEL (code), 20);
  gtk_label_set_xalign (GTK_LABEL (code), 0);
  gtk_label_set_ellipsize (GTK_LABEL (code), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (code, "dim-label");
  gtk_widget_add_css_class (code, "monospace");
  gtk_box_append (GTK_BOX (box), code);

  g_clear_pointer (&a11y, g_free);
  a11y = g_strdup_printf (_("Rename the term with code %s"), term->code);
  set_accessible_label (button, a11y);
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (on_term_rename), row);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static void
reload_terms (RrAdminView *self,
              RrVocab      vocab)
{
  GtkListBox *list = vocab == RR_VOCAB_DOMAIN ? self->domain_list : self->kind_list;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GError) error = NULL;

  clear_list (list);
  for (guint i = self->term_rows->len; i > 0; i--)
    if (((TermRow *) g_ptr_array_index (self->term_rows, i - 1))->vocab == vocab)
      g_ptr_array_remove_index (self->term_rows, i - 1);
  terms = rr_vocab_list (self->store, vocab, &error);
  if (terms == NULL)
    {
      set_message (term_message (self, vocab), error->message, TRUE);
      return;
    }
  for (guint i = 0; i < terms->len; i++)
    gtk_list_box_append (list, term_row_new (self, vocab, g_ptr_array_index (terms, i)));
}

static void
on_new_label_changed (GtkEntry    *entry,
                      RrAdminView *self)
{
  GtkEntry *code = entry == self->domain_label_entry ? self->domain_code_entry
                                                      : self->kind_code_entry;
  g_autofree char *suggested = NULL;

  /* The code follows the label until someone types a code of their own. */
  if (g_object_get_data (G_OBJECT (code), "rr-typed") != NULL)
    return;
  suggested = code_from_label (gtk_editable_get_text (GTK_EDITABLE (entry)));
  self->setting_code = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (code), suggested);
  self->setting_code = FALSE;
}

static void
on_code_changed (GtkEntry    *code,
                 RrAdminView *self)
{
  if (self->setting_code)
    return;
  g_object_set_data (G_OBJECT (code), "rr-typed",
                     *gtk_editable_get_text (GTK_EDITABLE (code)) != '\0'
                     ? GINT_TO_POINTER (1) : NULL);
}

static void
on_add_term_activated (GtkWidget   *widget,
                       RrAdminView *self)
{
  gboolean domain = widget == GTK_WIDGET (self->domain_label_entry)
                    || widget == GTK_WIDGET (self->domain_code_entry)
                    || widget == GTK_WIDGET (self->domain_add_button);
  RrVocab vocab = domain ? RR_VOCAB_DOMAIN : RR_VOCAB_KIND;
  GtkEntry *label_entry = domain ? self->domain_label_entry : self->kind_label_entry;
  GtkEntry *code_entry = domain ? self->domain_code_entry : self->kind_code_entry;
  g_autofree char *label = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (label_entry))));
  g_autofree char *code = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (code_entry))));
  g_autofree char *done = NULL;
  g_autoptr(GError) error = NULL;

  if (*code == '\0')
    {
      g_free (code);
      code = code_from_label (label);
    }
  if (!rr_vocab_add (self->store, self->login, vocab, code, label, &error))
    {
      /* What was typed stays, so that it can be corrected. */
      set_message (term_message (self, vocab), error->message, TRUE);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (label_entry), "");
  g_object_set_data (G_OBJECT (code_entry), "rr-typed", NULL);
  gtk_editable_set_text (GTK_EDITABLE (code_entry), "");
  reload_terms (self, vocab);
  if (domain)
    done = g_strdup_printf (_("“%s” was added; it is weighed in new decisions."), label);
  else
    {
      done = g_strdup_printf (_("“%s” was added. Until you give it a mandate under Mandate, "
                                "a decision of this kind needs the teamleider’s approval."),
                              label);
      reload_mandate (self);
    }
  set_message (term_message (self, vocab), done, FALSE);
}

/* The users are a list view: a row's widgets are made for the rows in
 * sight only, however many users there are (500 at the reference size). */
static void
on_user_setup (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *meta = gtk_label_new (NULL);

  g_object_set (box, "margin-top", 6, "margin-bottom", 6, "margin-start", 12,
                "margin-end", 12, NULL);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (meta), 0);
  gtk_label_set_ellipsize (GTK_LABEL (meta), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (meta, "dim-label");
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), meta);
  gtk_list_item_set_child (item, box);
}

static void
on_user_bind (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              RrAdminView              *self)
{
  guint position = gtk_list_item_get_position (item);
  GtkWidget *title = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *meta = gtk_widget_get_next_sibling (title);
  const RrUser *user;
  g_autofree char *head = NULL;
  g_autofree char *tail = NULL;
  GString *list;

  if (position >= self->users->len)
    return;
  user = g_ptr_array_index (self->users, position);
  head = g_markup_printf_escaped ("<b>%s</b>  %s", user->display_name, user->login);
  list = g_string_new (NULL);
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
  gtk_label_set_markup (GTK_LABEL (title), head);
  gtk_label_set_text (GTK_LABEL (meta), tail);
}

static void
rr_admin_view_dispose (GObject *object)
{
  RrAdminView *self = RR_ADMIN_VIEW (object);
  GtkWidget *child;

  /* The selection says so when the list lets go of its items. */
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  /* So does a drop-down losing its model. */
  if (self->role_dropdown != NULL)
    g_signal_handlers_disconnect_by_data (self->role_dropdown, self);
  for (guint i = 0; i < self->mandate_rows->len; i++)
    {
      MandateRow *row = g_ptr_array_index (self->mandate_rows, i);

      g_signal_handlers_disconnect_by_data (row->alone_dropdown, row);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), RR_TYPE_ADMIN_VIEW);
  /* 4.8 unparents only the children bound by name; the rest go here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->user_logins);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (rr_admin_view_parent_class)->dispose (object);
}

static void
rr_admin_view_finalize (GObject *object)
{
  RrAdminView *self = RR_ADMIN_VIEW (object);

  g_free (self->login);
  g_ptr_array_unref (self->users);
  g_ptr_array_unref (self->mandate_rows);
  g_ptr_array_unref (self->term_rows);
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
  BIND (stack);
  BIND (role_dropdown);
  BIND (mandate_list);
  BIND (mandate_message);
  BIND (domain_list);
  BIND (domain_label_entry);
  BIND (domain_code_entry);
  BIND (domain_add_button);
  BIND (domain_message);
  BIND (kind_list);
  BIND (kind_label_entry);
  BIND (kind_code_entry);
  BIND (kind_add_button);
  BIND (kind_message);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, on_add_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_role_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_new_label_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_add_term_activated);
}

static void
rr_admin_view_init (RrAdminView *self)
{
  g_autoptr(GtkStringList) roles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  self->users = g_ptr_array_new ();
  self->user_logins = gtk_string_list_new (NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->user_logins)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_swapped (self->selection, "notify::selected", G_CALLBACK (on_row_selected),
                            self);
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (on_user_setup), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (on_user_bind), self);
    gtk_list_view_set_factory (self->list, factory);
    gtk_list_view_set_model (self->list, GTK_SELECTION_MODEL (self->selection));
  }
  self->mandate_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) mandate_row_free);
  self->term_rows = g_ptr_array_new_with_free_func ((GDestroyNotify) term_row_free);
  for (guint i = 0; i < G_N_ELEMENTS (mandate_roles); i++)
    gtk_string_list_append (roles, rr_role_label (mandate_roles[i]));
  gtk_drop_down_set_model (self->role_dropdown, G_LIST_MODEL (roles));
  g_signal_connect (self->domain_code_entry, "changed", G_CALLBACK (on_code_changed), self);
  g_signal_connect (self->kind_code_entry, "changed", G_CALLBACK (on_code_changed), self);
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
  reload_mandate (self);
  reload_terms (self, RR_VOCAB_DOMAIN);
  reload_terms (self, RR_VOCAB_KIND);
  return GTK_WIDGET (self);
}

void
rr_admin_view_reload (RrAdminView *self)
{
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) logins = g_ptr_array_new ();
  guint before;

  g_return_if_fail (RR_IS_ADMIN_VIEW (self));

  users = rr_users_list (self->store, &error);
  if (users == NULL)
    users = g_ptr_array_new ();
  for (guint i = 0; i < users->len; i++)
    g_ptr_array_add (logins, ((RrUser *) g_ptr_array_index (users, i))->login);
  g_ptr_array_add (logins, NULL);
  /* The rows read @users as they are bound: the new list first. */
  g_signal_handlers_block_by_func (self->selection, on_row_selected, self);
  before = self->users->len;
  g_ptr_array_unref (self->users);
  self->users = g_steal_pointer (&users);
  gtk_string_list_splice (self->user_logins, 0, before, (const char * const *) logins->pdata);
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  g_signal_handlers_unblock_by_func (self->selection, on_row_selected, self);
  if (error != NULL)
    gtk_label_set_text (self->empty_label, error->message);
  else
    gtk_label_set_text (self->empty_label, _("No users."));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->users->len == 0);
  on_row_selected (self);
}

void
rr_admin_view_select (RrAdminView *self,
                      int          index)
{
  g_return_if_fail (RR_IS_ADMIN_VIEW (self));
  gtk_single_selection_set_selected (self->selection,
                                     index >= 0 ? (guint) index : GTK_INVALID_LIST_POSITION);
}

guint
rr_admin_view_get_n_rows (RrAdminView *self)
{
  g_return_val_if_fail (RR_IS_ADMIN_VIEW (self), 0);
  return self->users->len;
}
