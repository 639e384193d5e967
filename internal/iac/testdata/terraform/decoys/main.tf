# Blocks and resources that have an attribute called condition but hold no role-assignment condition.

data "azurerm_role_assignment" "existing" {
  condition = "data sources are read, not written"
}

resource "azurerm_role_definition" "custom" {
  name  = "Blob tagger"
  scope = data.azurerm_subscription.primary.id

  permissions {
    actions      = []
    data_actions = ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/tags/write"]
  }
}

resource "azurerm_monitor_activity_log_alert" "alert" {
  name  = "alert"
  scope = var.scope
  criteria {
    category = "Administrative"
  }
  condition = "not ours"
}

resource "azurerm_role_assignment" "no_condition" {
  scope                = var.scope
  role_definition_name = "Reader"
  principal_id         = var.principal_id

  lifecycle {
    postcondition {
      condition     = self.principal_type == "ServicePrincipal"
      error_message = "expected a service principal"
    }
  }
}

check "health" {
  assert {
    condition     = true
    error_message = "never"
  }
}

# resource "azurerm_role_assignment" "commented" { condition = "commented out" }
/*
resource "azurerm_role_assignment" "block_commented" {
  condition = "also commented out"
}
*/
