resource "azurerm_pim_eligible_role_assignment" "oncall" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = "${data.azurerm_subscription.primary.id}${data.azurerm_role_definition.contributor.id}"
  principal_id       = var.oncall_group_id
  condition          = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'incidents'"
  condition_version  = "2.0"

  schedule {
    expiration {
      duration_hours = 8
    }
  }
}

resource "azurerm_marketplace_role_assignment" "market" {
  role_definition_name = "Marketplace Admin"
  principal_id         = var.principal_id
  condition            = "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'offers'"
  condition_version    = "2.0"
}
