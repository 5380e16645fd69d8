//! Webhook signature verification and typed event parsing. (Placeholder.)
