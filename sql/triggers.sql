-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON public.audit_log FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON public.audit_log FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER exchanges_state_machine BEFORE INSERT OR UPDATE OF status ON public.exchanges FOR EACH ROW EXECUTE FUNCTION exchanges_enforce_transitions();
CREATE TRIGGER ledger_chain_append_only BEFORE DELETE OR UPDATE ON public.ledger_chain FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_chain_no_truncate BEFORE TRUNCATE ON public.ledger_chain FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_checkpoints_append_only BEFORE DELETE OR UPDATE ON public.ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON public.ledger_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_period_balances_append_only BEFORE DELETE OR UPDATE ON public.ledger_period_balances FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_period_balances_no_truncate BEFORE TRUNCATE ON public.ledger_period_balances FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_periods_append_only BEFORE DELETE OR UPDATE ON public.ledger_periods FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER ledger_periods_no_truncate BEFORE TRUNCATE ON public.ledger_periods FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER members_announce_admin_change AFTER UPDATE OF is_admin ON public.members FOR EACH ROW WHEN ((old.is_admin IS DISTINCT FROM new.is_admin)) EXECUTE FUNCTION identity_announce_credentials_change('id');
CREATE TRIGGER memberships_announce_credentials_change AFTER INSERT OR DELETE ON public.memberships FOR EACH ROW EXECUTE FUNCTION identity_announce_credentials_change('member_id');
CREATE TRIGGER memberships_announce_standing_change AFTER UPDATE OF role, status ON public.memberships FOR EACH ROW WHEN ((((old.role)::text IS DISTINCT FROM (new.role)::text) OR ((old.status)::text IS DISTINCT FROM (new.status)::text))) EXECUTE FUNCTION identity_announce_credentials_change('member_id');
CREATE TRIGGER memberships_close_settled BEFORE UPDATE OF status ON public.memberships FOR EACH ROW WHEN ((((new.status)::text = 'closed'::text) AND ((old.status)::text <> 'closed'::text))) EXECUTE FUNCTION members_check_membership_settled();
CREATE TRIGGER outbox_events_append_only BEFORE DELETE OR UPDATE ON public.outbox_events FOR EACH ROW EXECUTE FUNCTION exchanges_refuse_outbox_rewrite();
CREATE TRIGGER partner_apps_forget_oauth AFTER UPDATE OF revoked_at ON public.partner_apps FOR EACH ROW WHEN (((old.revoked_at IS NULL) AND (new.revoked_at IS NOT NULL))) EXECUTE FUNCTION oauth_forget_revoked_app();
CREATE TRIGGER partner_consents_forget_oauth AFTER UPDATE OF revoked_at ON public.partner_consents FOR EACH ROW WHEN (((old.revoked_at IS NULL) AND (new.revoked_at IS NOT NULL))) EXECUTE FUNCTION oauth_forget_withdrawn_consent();
CREATE TRIGGER postings_append_only BEFORE DELETE OR UPDATE ON public.postings FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER postings_belong_to_balanced_transfer AFTER INSERT ON public.postings REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_check_new_postings();
CREATE TRIGGER postings_no_truncate BEFORE TRUNCATE ON public.postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER reviews_append_only BEFORE DELETE OR UPDATE ON public.reviews FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER sessions_announce_credentials_change AFTER DELETE OR UPDATE OF revoked_at, access_token_hash, access_expires_at ON public.sessions FOR EACH ROW EXECUTE FUNCTION identity_announce_credentials_change('member_id');
CREATE TRIGGER transfer_failures_append_only BEFORE DELETE OR UPDATE ON public.transfer_failures FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfer_failures_no_truncate BEFORE TRUNCATE ON public.transfer_failures FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfers_announce AFTER INSERT ON public.transfers REFERENCING NEW TABLE AS new_transfers FOR EACH STATEMENT EXECUTE FUNCTION events_announce_transfer();
CREATE TRIGGER transfers_append_only BEFORE DELETE OR UPDATE ON public.transfers FOR EACH ROW EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfers_no_truncate BEFORE TRUNCATE ON public.transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_history_change();
CREATE TRIGGER transfers_outside_closed_periods AFTER INSERT ON public.transfers REFERENCING NEW TABLE AS new_transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_dating_in_closed_period();
CREATE CONSTRAINT TRIGGER transfers_postings_balanced AFTER INSERT ON public.transfers DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (((new.kind)::text = ANY ((ARRAY['direct'::character varying, 'post_pending'::character varying])::text[]))) EXECUTE FUNCTION ledger_check_new_transfer();
CREATE TRIGGER transfers_track_open_holds AFTER INSERT ON public.transfers FOR EACH ROW WHEN (((new.pending_id IS NOT NULL) OR (((new.kind)::text = 'pending'::text) AND (new.timeout_at IS NOT NULL)))) EXECUTE FUNCTION ledger_track_open_hold();
