-- "Outbox" names only the transactional outbox (table outbox). The development mail store is a mailbox.
-- Development and Testing only: an older Api still writing to dev_mail_outbox fails its dev mail after this runs.
ALTER TABLE dev_mail_outbox RENAME TO dev_mailbox;
ALTER INDEX dev_mail_outbox_pkey RENAME TO dev_mailbox_pkey;
ALTER INDEX dev_mail_outbox_to RENAME TO dev_mailbox_to;
ALTER SEQUENCE dev_mail_outbox_id_seq RENAME TO dev_mailbox_id_seq;
