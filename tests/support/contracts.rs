//! Contracts the record tests change: an MSA in review with a liability cap, and the same as a
//! deal with a value.

/// The Acme MSA in review, its liability capped at `cap` in clause 8.2.
pub fn msa(cap: &str) -> String {
    format!(
        "+++\nid = \"acme-msa\"\ntitle = \"MSA\"\ntype = \"msa\"\nstatus = \"review\"\nowner = \"@alice\"\neffective_date = 2025-01-01\ngoverning_law = \"NO\"\n\n[[parties]]\nname = \"Acme Inc.\"\nrole = \"customer\"\n\n[[parties]]\nname = \"Northwind AS\"\nrole = \"provider\"\n+++\n\n# MSA\n\n## 1. Services\n\n1.1 Provider provides the services.\n\n## 8. Limitation of Liability\n\n8.1 Neither party is liable for indirect loss.\n\n8.2 Each party's liability is capped at {cap}.\n"
    )
}

/// [`msa`] with a value of `amount` euros.
pub fn deal(amount: u32, cap: &str) -> String {
    msa(cap).replace(
        "governing_law = \"NO\"",
        &format!("governing_law = \"NO\"\n\n[value]\namount = {amount}\ncurrency = \"EUR\""),
    )
}
