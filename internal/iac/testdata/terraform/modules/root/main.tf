module "storage_rbac" {
  source       = "./modules/storage_rbac"
  principal_id = var.principal_id
  scope        = azurerm_storage_account.main.id
  # A module argument named condition is the module's business, not a role assignment.
  condition    = "not a role-assignment condition"
}
